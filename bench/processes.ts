// The fake upstream, the bare pass-through and kx each run in their own process, so the load
// client never shares an event loop with them and kx's memory and CPU can be read from /proc.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Child {
  name: string;
  pid: number;
  proc: ChildProcess;
  /** What the child wrote on stderr lately, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A crashed or interrupted bench must not leave servers behind on the machine.
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const p of live) p.kill('SIGKILL');
    process.exit(130);
  });
}

/** Spawns `node args…` and resolves once a stdout line satisfies `ready`. */
export function spawnNode<T>(name: string, args: string[], ready: (line: string) => T | undefined, timeoutMs = 30_000, extraEnv: Record<string, string> = {}): Promise<{ child: Child; value: T }> {
  // KX_* variables (and an OpenAI key) in the caller's environment must not reconfigure the kx under test.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_') && k !== 'OPENAI_API_KEY')), ...extraEnv };
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => live.delete(proc));
  const child: Child = {
    name,
    pid: proc.pid!,
    proc,
    stderrTail: () => stderr,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    let buf = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    };
    proc.once('exit', (code, signal) => fail(new Error(`${name} exited (${code ?? signal}) before it was ready`)));
    proc.once('error', fail);
    proc.stdout!.setEncoding('utf8');
    // Keep reading after the ready line: a child blocked on a full stdout pipe would stall the bench.
    proc.stdout!.on('data', (s: string) => {
      if (done) return;
      buf += s;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const value = ready(line);
        if (value !== undefined) {
          done = true;
          clearTimeout(timer);
          resolve({ child, value });
          return;
        }
      }
    });
  });
}

const jsonLine = (line: string): { baseUrl: string; port: number } | undefined => {
  if (!line.startsWith('{')) return undefined;
  const v = JSON.parse(line) as { baseUrl?: string; port?: number };
  return typeof v.baseUrl === 'string' && typeof v.port === 'number' ? { baseUrl: v.baseUrl, port: v.port } : undefined;
};

export interface StreamShape {
  events: number;
  eventBytes: number;
  paceMs: number;
}

/** The project's fake upstream, answering every model call with a synthetic stream of this shape. */
export async function startUpstream(shape: StreamShape): Promise<{ child: Child; origin: string; baseUrl: string }> {
  const args = ['--import', 'tsx', 'harness/fake-upstream/cli.ts', '--port', '0'];
  args.push('--events', String(shape.events), '--event-bytes', String(shape.eventBytes), '--pace-ms', String(shape.paceMs));
  const { child, value } = await spawnNode('fake-upstream', args, jsonLine);
  return { child, origin: value.baseUrl.replace(/\/v1$/, ''), baseUrl: value.baseUrl };
}

export async function startBareProxy(upstreamOrigin: string, extraNodeArgs: string[] = []): Promise<{ child: Child; origin: string }> {
  const { child, value } = await spawnNode('bare-proxy', [...extraNodeArgs, '--import', 'tsx', 'bench/bare-proxy.ts', '--upstream', upstreamOrigin], jsonLine);
  return { child, origin: value.baseUrl.replace(/\/v1$/, '') };
}

export const UI_TOKEN = 'bench-ui-token-0123456789abcdef';

/**
 * kx exactly as a user runs it (`kx start`), recording into a fresh temp folder that `stop` deletes.
 * The insight engine is off unless `env` turns it on: the other sections measure the recorder alone.
 */
export async function startKxProcess(
  upstreamBaseUrl: string,
  extraNodeArgs: string[] = [],
  env: Record<string, string> = { KX_INSIGHT: 'off' },
  kxArgs: string[] = [],
  /** A documents folder already filled (the memory bench's corpus); a fresh temp folder when left out. */
  filled?: string,
): Promise<{ child: Child; origin: string; documentsDir: string }> {
  const documentsDir = filled ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kx-bench-'));
  const args = [...extraNodeArgs, 'bin/kx.js', 'start', '--host', '127.0.0.1', '--port', '0', '--upstream', upstreamBaseUrl, ...kxArgs];
  args.push('--documents', documentsDir, '--ui-token', UI_TOKEN, '--log-level', 'error');
  try {
    const { child, value } = await spawnNode('kx', args, (line) => /proxy:\s+(http:\/\/\S+?)\/v1\s/.exec(line)?.[1], 30_000, env);
    const stop = child.stop;
    child.stop = async () => {
      await stop();
      fs.rmSync(documentsDir, { recursive: true, force: true });
    };
    return { child, origin: value, documentsDir };
  } catch (err) {
    fs.rmSync(documentsDir, { recursive: true, force: true });
    throw err;
  }
}

export interface ProcSample {
  rssKb: number;
  /** Peak RSS over the process's life. */
  hwmKb: number;
  /** CPU time of all its threads, in ms. */
  cpuMs: number;
}

const CLK_TCK = 100;

/**
 * Reads /proc. CPU comes from each thread's schedstat (nanoseconds) so per-request figures are not
 * rounded to the 10 ms ticks of /proc/<pid>/stat; stat is the fallback where schedstat is missing.
 */
export function sampleProc(pid: number): ProcSample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  let cpuNs = 0;
  let ok = true;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        cpuNs += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended between readdir and read
      }
    }
  } catch {
    ok = false;
  }
  let cpuMs = cpuNs / 1e6;
  if (!ok || cpuNs === 0) {
    // Fields 14 and 15 (utime, stime), counted after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs = ((Number(f[11]) + Number(f[12])) / CLK_TCK) * 1000;
  }
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), cpuMs };
}

/** Polls RSS while a phase runs; a single reading at the end would miss the peak of that phase. */
export class RssWatch {
  private timer: NodeJS.Timeout | undefined;
  maxRssKb = 0;

  constructor(private readonly pid: number, private readonly everyMs = 50) {}

  start(): this {
    this.maxRssKb = Math.max(this.maxRssKb, sampleProc(this.pid).rssKb);
    this.timer = setInterval(() => {
      try {
        this.maxRssKb = Math.max(this.maxRssKb, sampleProc(this.pid).rssKb);
      } catch {
        // the process is gone; the phase will report its own error
      }
    }, this.everyMs);
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.maxRssKb = Math.max(this.maxRssKb, sampleProc(this.pid).rssKb);
    } catch {
      // as above
    }
    return this.maxRssKb;
  }
}
