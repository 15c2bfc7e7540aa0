// Learn mode's cost on turns it never holds: tool-output follow-ups, through kx in capture mode and
// through a kx with learn mode on (its request hook installed, parsing every body and frame), in the
// same run against the same fake upstream. Figures are reported, never asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kxIdle, makeTarget, responsesBody, sseCall, userMessage, WsConn, type StreamResult, type Target } from './clients.js';
import { startKxProcess, startUpstream, type StreamShape } from './processes.js';
import { rotate } from './rig.js';
import { benchHeaders } from './single.js';
import { pcts, type Pcts } from './stats.js';

export interface LearnBench {
  shape: StreamShape;
  samples: number;
  /** Time to first byte of tool-output follow-ups, per transport and mode. */
  ttfb: Record<'http' | 'ws', { capture: Pcts; learn: Pcts; addedP50: number; addedP99: number }>;
  errors: number;
}

const followUp = (i: number): unknown[] => [
  userMessage('list the files here'),
  { type: 'function_call', call_id: `call_${i}`, name: 'exec_command', arguments: '{"cmd":"ls"}' },
  { type: 'function_call_output', call_id: `call_${i}`, output: `README.md\nhello.py\nsample ${i}` },
];

export async function runLearn(shape: StreamShape, samples: number, warmup: number): Promise<LearnBench> {
  const up = await startUpstream(shape);
  const envDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-learn-'));
  const envFile = path.join(envDir, 'learn.env');
  fs.writeFileSync(envFile, 'KX_MODE=learn\nKX_INJECT=off\n');
  const capture = await startKxProcess(up.baseUrl);
  const learn = await startKxProcess(up.baseUrl, [], { KX_INSIGHT: 'off' }, ['--env-file', envFile]);
  const targets: Record<'capture' | 'learn', Target> = { capture: makeTarget('kx', capture.origin), learn: makeTarget('kx', learn.origin) };
  const out = { http: { capture: [] as number[], learn: [] as number[] }, ws: { capture: [] as number[], learn: [] as number[] } };
  let errors = 0;
  const eventsPerStream = shape.events + 4;
  try {
    for (const transport of ['http', 'ws'] as const) {
      const conns = new Map<string, WsConn>();
      if (transport === 'ws') for (const [mode, t] of Object.entries(targets)) conns.set(mode, await WsConn.open(t, benchHeaders(`bench-learn-ws-${mode}`)));
      for (let i = 0; i < warmup + samples; i++) {
        for (const mode of rotate(['capture', 'learn'] as const, i)) {
          let r: StreamResult;
          if (transport === 'http') r = await sseCall(targets[mode], responsesBody(followUp(i)), benchHeaders(`bench-learn-http-${mode}`), eventsPerStream);
          else r = await conns.get(mode)!.stream({ model: 'gpt-6.1-sol', input: followUp(i).slice(2) }, eventsPerStream);
          if (!r.ok) errors++;
          if (i >= warmup && r.ok) out[transport][mode].push(r.ttfbMs);
        }
      }
      for (const c of conns.values()) c.close();
    }
    await Promise.all([kxIdle(capture.origin), kxIdle(learn.origin)]);
  } finally {
    for (const t of Object.values(targets)) t.agent.destroy();
    await Promise.all([capture.child.stop(), learn.child.stop()]);
    await up.child.stop();
    fs.rmSync(envDir, { recursive: true, force: true });
  }
  const row = (t: 'http' | 'ws') => {
    const c = pcts(out[t].capture);
    const l = pcts(out[t].learn);
    return { capture: c, learn: l, addedP50: l.p50 - c.p50, addedP99: l.p99 - c.p99 };
  };
  return { shape, samples, ttfb: { http: row('http'), ws: row('ws') }, errors };
}

export function renderLearn(r: LearnBench): string {
  const f = (n: number) => n.toFixed(2);
  const lines = [
    '## Learn mode: turns that need no hold (tool-output follow-ups)',
    '',
    `${r.samples} samples per mode and transport; time to first byte, kx in capture mode vs kx in learn mode (hook installed); ${r.errors} errors.`,
    '',
    '| transport | capture p50 / p99 | learn p50 / p99 | learn added p50 / p99 | target |',
    '|---|---|---|---|---|',
  ];
  for (const t of ['http', 'ws'] as const) {
    const x = r.ttfb[t];
    const met = x.addedP50 <= 1 ? 'met' : 'missed';
    lines.push(`| ${t === 'http' ? 'HTTP+SSE' : 'WebSocket'} | ${f(x.capture.p50)} / ${f(x.capture.p99)} ms | ${f(x.learn.p50)} / ${f(x.learn.p99)} ms | ${f(x.addedP50)} / ${f(x.addedP99)} ms | ≤ 1 ms: ${met} |`);
  }
  return lines.join('\n') + '\n';
}
