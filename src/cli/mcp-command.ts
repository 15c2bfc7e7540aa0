// `kx mcp`: the stdio bridge (src/mcp/stdio-bridge.ts) to the running kx, as a client starts it.

import { mcpTokenOf } from '../api/auth.js';
import { CliError, kxAddress, notAnswering } from './kx-client.js';

export async function mcpCommand(packageRoot: string): Promise<void> {
  const { baseUrl, token } = kxAddress(packageRoot);
  const { runStdioBridge } = await import('../mcp/stdio-bridge.js');
  let bridge: Awaited<ReturnType<typeof runStdioBridge>>;
  try {
    bridge = await runStdioBridge({ kxUrl: baseUrl, token: mcpTokenOf(token), project: process.cwd() });
  } catch (err) {
    // fetch fails with a TypeError when nothing listens; anything else is kx answering with a refusal.
    throw new CliError(err instanceof TypeError ? notAnswering(baseUrl) : `kx at ${baseUrl} refused the MCP connection: ${(err as Error).message}`);
  }
  // A client closes our input when it is done with us. The bridge's open connection to kx would keep the
  // process alive, so exit once it is closed.
  const done = (): void => void bridge.close().finally(() => process.exit(0));
  if (process.stdin.readableEnded) done();
  else process.stdin.once('end', done);
}
