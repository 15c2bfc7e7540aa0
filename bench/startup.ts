// The startup section: how long from launching `kx start` until /api/health answers, compiled
// (dist/, what bin/kx.js runs after install) and from source through tsx, against a bare Node HTTP
// server launched the same way; and how much `kx codex` adds before Codex itself starts, against
// starting the same stand-in codex directly.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, startKxProcess, startUpstream, UI_TOKEN } from './processes.js';
import { pcts, type Pcts } from './stats.js';
import { tempDir } from '../harness/drivers/temp-dir.js';

export interface StartupBench {
  samples: number;
  /** Launch → first answer, ms. */
  bareNode: Pcts;
  kxCompiled: Pcts;
  kxSource: Pcts;
  /** Wall time of `kx codex --version` and of the stand-in codex alone, ms. */
  kxCodex: Pcts;
  codexAlone: Pcts;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_') && k !== 'OPENAI_API_KEY'));

/** Spawns, then polls `url` every 2 ms until it answers; returns launch → answer in ms. */
async function timeToAnswer(args: string[], url: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode} before answering`);
      if (performance.now() - started > 30_000) throw new Error(`${args.join(' ')} did not answer within 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

function wallMs(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const res = spawnSync(cmd, args, { cwd: tempDir('kx-bench-codex-cwd-'), env, stdio: 'ignore' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}`);
  return performance.now() - started;
}

export async function runStartupBench(samples: number): Promise<StartupBench> {
  const bareNode: number[] = [];
  const kxCompiled: number[] = [];
  const kxSource: number[] = [];
  for (let i = 0; i < samples; i++) {
    let port = await freePort();
    bareNode.push(await timeToAnswer(['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], `http://127.0.0.1:${port}/`, cleanEnv()));
    for (const [into, fromSource] of [[kxCompiled, false], [kxSource, true]] as const) {
      port = await freePort();
      const args = [path.join(ROOT, 'bin/kx.js'), 'start', '--port', String(port), '--documents', tempDir('kx-bench-start-'), '--ui-token', UI_TOKEN, '--upstream', 'http://127.0.0.1:9/v1'];
      into.push(await timeToAnswer(args, `http://127.0.0.1:${port}/api/health`, { ...cleanEnv(), KX_INSIGHT: 'turn', ...(fromSource ? { KX_FROM_SOURCE: '1' } : {}) }));
    }
  }

  // `kx codex` against a running kx, with a stand-in codex first on the PATH that exits at once.
  const up = await startUpstream({ events: 1, eventBytes: 8, paceMs: 0 });
  const kx = await startKxProcess(up.baseUrl);
  const bin = tempDir('kx-bench-codex-bin-');
  const codex = path.join(bin, 'codex');
  fs.writeFileSync(codex, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const env = { ...cleanEnv(), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, KX_PORT: new URL(kx.origin).port, OPENAI_API_KEY: 'sk-bench-startup' };
  const kxCodex: number[] = [];
  const codexAlone: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      codexAlone.push(wallMs(codex, ['--version'], env));
      kxCodex.push(wallMs(process.execPath, [path.join(ROOT, 'bin/kx.js'), 'codex', '--version'], env));
    }
  } finally {
    await kx.child.stop();
    await up.child.stop();
  }
  return { samples, bareNode: pcts(bareNode), kxCompiled: pcts(kxCompiled), kxSource: pcts(kxSource), kxCodex: pcts(kxCodex), codexAlone: pcts(codexAlone) };
}

const ms = (n: number) => n.toFixed(0);

export function renderStartup(b: StartupBench): string {
  return [
    '',
    '## Start-up',
    '',
    `Launch → first answer, ${b.samples} launches each, interleaved: a bare Node HTTP server, \`kx start\` compiled (dist/, what bin/kx.js runs after install) and from source (tsx, \`KX_FROM_SOURCE=1\`), insight on. Then \`kx codex --version\` against a running kx, with a stand-in codex that exits at once, against that stand-in alone.`,
    '',
    '| | p50 ms | p90 ms |',
    '|---|---|---|',
    `| bare Node server answers | ${ms(b.bareNode.p50)} | ${ms(b.bareNode.p90)} |`,
    `| kx start (compiled) answers /api/health | ${ms(b.kxCompiled.p50)} | ${ms(b.kxCompiled.p90)} |`,
    `| kx start (from source, tsx) answers /api/health | ${ms(b.kxSource.p50)} | ${ms(b.kxSource.p90)} |`,
    `| stand-in codex alone | ${ms(b.codexAlone.p50)} | ${ms(b.codexAlone.p90)} |`,
    `| kx codex → the same codex | ${ms(b.kxCodex.p50)} | ${ms(b.kxCodex.p90)} |`,
    '',
    `- \`kx start\` compiled answers **${ms(b.kxCompiled.p50)} ms** after launch at p50 (target ≤ 300 ms), ${(b.kxCompiled.p50 / b.bareNode.p50).toFixed(1)}× a bare Node server; from source it took ${(b.kxSource.p50 / b.kxCompiled.p50).toFixed(1)}× the compiled time.`,
    `- \`kx codex\` adds **${ms(b.kxCodex.p50 - b.codexAlone.p50)} ms** at p50 before Codex starts (target ≤ 300 ms).`,
  ].join('\n');
}
