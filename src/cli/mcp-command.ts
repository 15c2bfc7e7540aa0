// `kx mcp`: the stdio bridge (src/mcp/stdio-bridge.ts) to the running kx, as a client starts it. When kx
// cannot be reached, the reason goes to stderr in one line and, as a JSON-RPC error, to the client's
// first request, so the client shows it rather than "connection closed".

import readline from 'node:readline';
import { mcpTokenOf } from '../api/auth.js';
import { oneLine } from '../text/one-line.js';
import { locateKx, noToken, notAnsweringAt, wrongToken, type FindKxFlags, type FindOptions, type KxPlace } from './find-kx.js';

/** How long a refused bridge waits for its client's first request before it exits. */
const ANSWER_WINDOW_MS = 1500;

async function bridgeTo(place: KxPlace): Promise<{ close(): Promise<void> } | string> {
  if (!place.token) return noToken(place);
  const { runStdioBridge } = await import('../mcp/stdio-bridge.js');
  try {
    return await runStdioBridge({ kxUrl: place.baseUrl, token: mcpTokenOf(place.token.value), project: process.cwd() });
  } catch (err) {
    // fetch fails with a TypeError when nothing listens; the SDK's errors carry kx's HTTP status as `code`.
    if (err instanceof TypeError) return notAnsweringAt(place);
    if ((err as { code?: unknown }).code === 401) return wrongToken(place);
    return `kx at ${place.baseUrl} refused the MCP connection: ${oneLine((err as Error).message)}`;
  }
}

/** Says why on stderr, answers the client's first request with it, and exits 2. */
function refuse(why: string): void {
  process.stderr.write(`kx: ${why}\n`);
  const quit = (): never => process.exit(2);
  if (process.stdin.isTTY) quit();
  setTimeout(quit, ANSWER_WINDOW_MS);
  const lines = readline.createInterface({ input: process.stdin });
  let answering = false;
  lines.on('close', () => answering || quit());
  lines.on('line', (line) => {
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown }).id;
    } catch {
      return;
    }
    if (answering || (typeof id !== 'string' && typeof id !== 'number')) return;
    answering = true;
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message: why } }) + '\n', quit);
  });
}

export async function mcpCommand(flags: FindKxFlags, o: FindOptions): Promise<void> {
  const bridge = await bridgeTo(locateKx(flags, o));
  if (typeof bridge === 'string') return refuse(bridge);
  // A client closes our input when it is done with us. The bridge's open connection to kx would keep the
  // process alive, so exit once it is closed.
  const done = (): void => void bridge.close().finally(() => process.exit(0));
  if (process.stdin.readableEnded) done();
  else process.stdin.once('end', done);
}
