// No turn, however large, stops traffic (#18). kx runs as a real process with the insight engine on:
// a turn of hundreds of tool calls with megabyte outputs is analysed while /api/health and /v1 keep
// answering; a real-shaped rollout with one turn of hundreds of items is imported beside it; and the
// same holds after a restart on the same documents folder, when the imported jobs run.

import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { tempDir } from '../support/recording.js';
import { rolloutLines, writeRollout, type RolloutLine } from '../support/rollouts.js';
import { rawRequest, responsesBody, userMessage } from '../../harness/drivers/http-client.js';
import { codexHeaders, ROOT, spawnKx, waitFor, type KxProcess } from './support.js';

const TOOL_CALLS = 160;
const MEGABYTE_OUTPUTS = 8;

function hugeTurnBody(): string {
  const input: unknown[] = [userMessage('read every log file and tell me which service fails first')];
  for (let i = 0; i < TOOL_CALLS; i++) {
    input.push({ type: 'function_call', call_id: `call_${i}`, name: 'exec_command', arguments: JSON.stringify({ cmd: `cat logs/service-${i}.log` }) });
    const size = i < MEGABYTE_OUTPUTS ? 1024 * 1024 : 800 + ((i * 137) % 4000);
    input.push({ type: 'function_call_output', call_id: `call_${i}`, output: `service-${i}: ` + 'ok '.repeat(Math.ceil(size / 3)).slice(0, size) });
  }
  return responsesBody('', { input });
}

/** The fixture rollout with its one tool call repeated until the first turn holds `items` items. */
function bigRollout(items: number): string {
  const lines = rolloutLines();
  const call = lines.findIndex((l) => l.payload.type === 'custom_tool_call');
  const output = lines.findIndex((l) => l.payload.type === 'custom_tool_call_output');
  const copies: RolloutLine[] = [];
  for (let i = 0; i < items / 2; i++) {
    copies.push({ ...lines[call]!, payload: { ...lines[call]!.payload, id: `ctc_big_${i}`, call_id: `call_big_${i}` } });
    copies.push({ ...lines[output]!, payload: { ...lines[output]!.payload, id: `ctco_big_${i}`, call_id: `call_big_${i}` } });
  }
  return writeRollout([...lines.slice(0, output + 1), ...copies, ...lines.slice(output + 1)]);
}

function jobs(documentsDir: string): Array<{ state: string; kind: string; last_error: string | null }> {
  const db = new Database(path.join(documentsDir, 'sessions.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT state, kind, last_error FROM insight_jobs`).all() as Array<{ state: string; kind: string; last_error: string | null }>;
  } finally {
    db.close();
  }
}

/** Polls /api/health and sends a small /v1 request every few ticks until stopped; every answer must come. */
function keepAsking(kx: KxProcess) {
  let stop = false;
  let longestMs = 0;
  let answered = 0;
  const failures: string[] = [];
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const started = Date.now();
      try {
        const res =
          i % 5 === 0
            ? await rawRequest(`${kx.proxyBase}/responses`, { headers: codexHeaders(`probe-${i}`), body: responsesBody(`probe ${i}`) })
            : await rawRequest(`${kx.url}/api/health`, { method: 'GET', headers: { authorization: `Bearer ${kx.token}` } });
        if (res.status !== 200) failures.push(`${i % 5 === 0 ? 'v1' : 'health'} status ${res.status}`);
        answered++;
      } catch (err) {
        failures.push((err as Error).message);
      }
      longestMs = Math.max(longestMs, Date.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    get answered() {
      return answered;
    },
    async stop() {
      stop = true;
      await loop;
      return { longestMs, answered, failures };
    },
  };
}

describe('no turn, however large, stops traffic', () => {
  let fake: FakeUpstream;
  const children: KxProcess[] = [];
  afterAll(async () => {
    for (const c of children) await c.stop();
    await fake?.close();
  });

  it('answers health and /v1 while it analyses a turn of 160 tool calls with megabyte outputs, imports a 240-item turn, and restarts', { timeout: 180_000 }, async () => {
    fake = await startFakeUpstream();
    const documentsDir = tempDir('kx-large-turns-');
    const env = { KX_INSIGHT: 'turn', KX_INSIGHT_API_KEY: 'sk-test-insight-large-0123456789', KX_INSIGHT_BASE_URL: fake.baseUrl };
    const first = await spawnKx(fake.baseUrl, documentsDir, { env });
    children.push(first);

    const probes = keepAsking(first);
    const res = await rawRequest(`${first.proxyBase}/responses`, { headers: codexHeaders('huge-turn'), body: hugeTurnBody() });
    expect(res.status).toBe(200);
    await waitFor(() => jobs(documentsDir).some((j) => j.kind === 'turn' && ['done', 'failed'].includes(j.state) && j.last_error === null), 'the huge turn’s insight', 60_000);

    // A real-shaped rollout, one turn of 240 items, imported while kx runs.
    const folder = bigRollout(240);
    const imported = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/kx.js'), 'import', 'codex', folder, '--documents', documentsDir], { cwd: tempDir(), stdio: 'ignore' });
      child.once('exit', (code) => resolve(code ?? 1));
    });
    expect(imported).toBe(0);
    // However fast the work above went, kx must have kept answering through it and still does.
    await waitFor(() => probes.answered >= 10, 'ten probes answered', 30_000);
    const during = await probes.stop();
    expect(during.failures).toEqual([]);
    // Liveness, not speed: a frozen kx never answers; a working one answers well inside this.
    expect(during.longestMs).toBeLessThan(10_000);

    // A restart on the same folder runs the imported jobs, and still answers throughout.
    await first.stop();
    const second = await spawnKx(fake.baseUrl, documentsDir, { env });
    children.push(second);
    const after = keepAsking(second);
    await waitFor(() => jobs(documentsDir).filter((j) => j.state === 'queued' || j.state === 'running').length === 0, 'every job settled after the restart', 90_000);
    const result = await after.stop();
    expect(result.failures).toEqual([]);
    expect(result.longestMs).toBeLessThan(10_000);
    const all = jobs(documentsDir);
    expect(all.filter((j) => j.kind === 'turn').length).toBeGreaterThanOrEqual(3);
    expect(all.every((j) => j.state === 'done')).toBe(true);
    expect(second.stderr()).not.toMatch(/no progress/);
  });
});
