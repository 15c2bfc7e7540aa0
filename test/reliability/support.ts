// Shared pieces of the reliability specs: a streaming client that can stop half-way, waits on
// conditions instead of clocks, resource counts, and kx run as a child process.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createSseDecoder } from '../../src/protocol/sse-decoder.js';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import type { Scenario } from '../../harness/fake-upstream/state.js';
import { rawRequest, type RawResponse } from '../../harness/drivers/http-client.js';
import { tempDir } from '../support/recording.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const KEY = ['sk-test-', 'reliabilityabcdefghijklmnopqrstu'].join('');
export const codexHeaders = (session: string, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${KEY}`,
  'content-type': 'application/json',
  accept: 'text/event-stream',
  'session-id': session,
  originator: 'codex_exec',
  ...extra,
});
export const wsHeaders = (session: string): Record<string, string> => ({
  authorization: `Bearer ${KEY}`,
  'session-id': session,
  originator: 'codex_exec',
  'openai-beta': 'responses_websockets=2026-02-06',
});
export { userMessage } from '../../harness/drivers/http-client.js';
export const wsMeta = (session: string, turn: string) => ({
  session_id: session,
  thread_id: session,
  turn_id: turn,
  'x-codex-turn-metadata': JSON.stringify({ session_id: session, turn_id: turn, request_kind: 'turn' }),
});

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/**
 * Polls until `cond` holds. The limit is only a safety net so a broken build fails instead of
 * hanging; no assertion depends on how fast anything happens.
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The answer the same request gets from a fresh fake upstream with no kx in between. */
export async function directCall(pathname: string, opts: { headers: Record<string, string>; body: string | Buffer; method?: string }, scenario?: Scenario): Promise<RawResponse> {
  const fake = await startFakeUpstream();
  try {
    if (scenario) fake.enqueue(scenario);
    return await rawRequest(`${fake.url}${pathname}`, opts);
  } finally {
    await fake.close();
  }
}

/** An HTTP stream read event by event, that the test can hang up on at any point. */
export interface OpenStream {
  events: string[];
  bytes: () => Buffer;
  /** Resolves once `n` SSE events have arrived (or the stream ended first). */
  waitEvents(n: number): Promise<void>;
  /** Resolves when the response ended or the connection broke. */
  done: Promise<{ status: number; ended: boolean }>;
  /** Hangs up, as a client that gave up would. */
  hangUp(): void;
  /** Resolves when the client's socket is closed. */
  socketClosed: Promise<void>;
}

export function openStream(url: string, headers: Record<string, string>, body: string | Buffer): OpenStream {
  const events: string[] = [];
  const chunks: Buffer[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let finished = false;
  const wake = () => {
    for (const w of [...waiters]) {
      if (finished || events.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const sse = createSseDecoder((data) => {
    events.push(data);
    wake();
  });
  // agent: false: every stream has its own socket, so hanging up closes exactly one connection.
  const req = http.request(url, { method: 'POST', headers, agent: false });
  let resolveClosed!: () => void;
  const socketClosed = new Promise<void>((r) => (resolveClosed = r));
  req.on('socket', (s) => s.once('close', () => resolveClosed()));
  const done = new Promise<{ status: number; ended: boolean }>((resolve) => {
    req.on('response', (res) => {
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        sse.feed(c);
      });
      res.on('end', () => {
        finished = true;
        wake();
        resolve({ status: res.statusCode ?? 0, ended: true });
      });
      res.on('close', () => {
        finished = true;
        wake();
        resolve({ status: res.statusCode ?? 0, ended: res.complete });
      });
      res.on('error', () => {});
    });
    req.on('error', () => {
      finished = true;
      wake();
      resolve({ status: 0, ended: false });
    });
  });
  req.end(body);
  return {
    events,
    bytes: () => Buffer.concat(chunks),
    waitEvents: (n) => new Promise<void>((resolve) => {
      waiters.push({ n, resolve });
      wake();
    }),
    done,
    hangUp: () => req.destroy(),
    socketClosed,
  };
}

/** Live handles by type (sockets, timers, servers...), as Node counts what keeps the loop alive. */
export function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of process.getActiveResourcesInfo()) out[t] = (out[t] ?? 0) + 1;
  return out;
}

// ---- kx as a child process --------------------------------------------------------------------

export interface KxProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  proxyBase: string;
  token: string;
  documentsDir: string;
  stderr: () => string;
  /** With `inspect`: runs a full GC in kx and returns its process.memoryUsage() afterwards. */
  memoryAfterGc(): Promise<NodeJS.MemoryUsage>;
  /** Asks kx to stop (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
  /** kill -9: no cleanup, no flush. */
  kill9(): Promise<void>;
}

export const CHILD_TOKEN = 'reliability-child-token-0123456789';

export async function spawnKx(upstreamBase: string, documentsDir = tempDir('kx-child-'), opts: { inspect?: boolean; env?: Record<string, string> } = {}): Promise<KxProcess> {
  // A clean environment: no KX_* or OpenAI key from the caller, and a cwd without a proxy.env. The insight
  // engine is off unless a test turns it on, so recording tests see only the agent's traffic.
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_') && k !== 'OPENAI_API_KEY')),
    KX_INSIGHT: 'off',
    ...opts.env,
  };
  const child = spawn(
    process.execPath,
    [...(opts.inspect ? ['--inspect=127.0.0.1:0'] : []), path.join(ROOT, 'bin', 'kx.js'), 'start', '--port', '0', '--upstream', upstreamBase, '--documents', documentsDir, '--ui-token', CHILD_TOKEN, '--log-level', 'warn'],
    { cwd: tempDir('kx-cwd-'), env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      // kx prints the port it actually bound, so --port 0 is usable.
      const m = /proxy:\s+(http:\/\/\S+)\/v1\s/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`kx exited with ${code} before listening: ${err}`)));
  });
  child.stdout!.resume();
  const inspectorUrl = opts.inspect ? /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1] : undefined;
  return {
    child,
    pid: child.pid!,
    url,
    proxyBase: `${url}/v1`,
    token: CHILD_TOKEN,
    documentsDir,
    stderr: () => err,
    memoryAfterGc: () => {
      if (!inspectorUrl) throw new Error('spawnKx({ inspect: true }) to measure memory after GC');
      return memoryAfterGc(inspectorUrl);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** Open file descriptors of a process (Linux /proc). */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Every line of a jsonl file, parsed; throws on a torn or invalid line. */
export function readJsonl(file: string): Array<Record<string, unknown>> {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file}: last line is torn`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${file}:${i + 1} is not JSON: ${line.slice(0, 80)}`);
      }
    });
}

export function jsonlFiles(documentsDir: string): string[] {
  const files: string[] = [];
  for (const e of fs.readdirSync(documentsDir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    for (const name of ['user_actions.jsonl', 'agent_actions.jsonl']) {
      const f = path.join(documentsDir, e.name, name);
      if (fs.existsSync(f)) files.push(f);
    }
  }
  return files;
}

/** Over the inspector protocol: collect garbage in the child, then read its memory figures. */
async function memoryAfterGc(inspectorUrl: string): Promise<NodeJS.MemoryUsage> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 0;
  const call = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, any>> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, any>; error?: unknown };
        if (msg.id !== id) return;
        ws.off('message', onMessage);
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        else resolve(msg.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    return JSON.parse(r.result.value as string) as NodeJS.MemoryUsage;
  } finally {
    ws.close();
  }
}
