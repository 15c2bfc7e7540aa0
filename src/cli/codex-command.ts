// kx codex [codex args...]: the user's own Codex, pointed at the running kx, with kx's memory tools.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codexEnv, codexMcpOverrides } from '../mcp/codex-config.js';
import { codexOverrides, detectCodexAuthMode } from './codex-args.js';
import type { CliContext } from './commands.js';
import { locateKx, noToken, notAnsweringAt } from './find-kx.js';
import { CliError } from './kx-client.js';

/** The user's own Codex: kx installs none (the tests' pinned one lives in .cache/test-tools/). */
function codexOnPath(env: NodeJS.ProcessEnv): string {
  const onPath = (env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'codex')));
  if (!onPath) throw new CliError('kx codex runs the codex on your PATH, and there is none. Install Codex (npm install -g @openai/codex), then try again');
  return 'codex';
}

export async function codexCommand(argv: readonly string[], ctx: CliContext): Promise<number | void> {
  const codexBinary = codexOnPath(ctx.env);
  // The same proxy.env `npm start` reads (kx's own folder) and the documents folder's lock, so `kx codex`
  // finds kx from any project folder; nothing is written here, unlike `kx start`, which makes the console token.
  // Codex's words are Codex's: KX_DOCUMENTS_DIR or KX_PORT point it at a kx started with flags.
  const place = locateKx({}, { packageRoot: ctx.packageRoot, cwd: ctx.cwd, env: ctx.env, warn: ctx.warn });
  const base = place.baseUrl;
  const proxy = `${base}/v1`;
  try {
    const res = await fetch(`${base}/api/health`);
    if (!res.ok) throw new Error(String(res.status));
  } catch {
    process.stderr.write(`kx: ${notAnsweringAt(place, true)}\n`);
    return 1;
  }
  // kx's memory tools (src/mcp/): the MCP token travels in the environment, never in argv, and never the
  // console token. Without a token, Codex runs without them.
  let memory: { args: string[]; token?: string } = { args: [] };
  if (place.token) memory = { args: codexMcpOverrides(base), token: place.token.value };
  else process.stderr.write(`kx: ${await noToken(place, true)}; Codex runs without kx's memory tools\n`);
  // Overrides go before the user's arguments so a subcommand such as `exec` still parses.
  const args = [...codexOverrides(detectCodexAuthMode(ctx.env), proxy), ...memory.args, ...argv];
  const child = spawn(codexBinary, args, { stdio: 'inherit', env: codexEnv(ctx.env, memory.token) });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
