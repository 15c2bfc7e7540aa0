// `kx mcp`: an MCP server on stdin/stdout for clients that only start stdio servers. It holds no data:
// each list and call goes to the running kx's /mcp, so there is one implementation of the tools and one
// store. Nothing but MCP messages may go to stdout; notes go to stderr.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../version.js';
import { mcpUrl } from './codex-config.js';

export interface BridgeOptions {
  kxUrl: string;
  token: string;
  /** `?project=` for the HTTP side: the folder the client was started in, when it cannot say its session. */
  project?: string;
  /** The stdio side; tests pass an in-memory transport. */
  transport?: Transport;
}

export async function runStdioBridge(opts: BridgeOptions): Promise<{ close(): Promise<void> }> {
  const url = new URL(mcpUrl(opts.kxUrl));
  if (opts.project) url.searchParams.set('project', opts.project);
  const upstream = new Client({ name: 'kx-mcp-stdio', version: VERSION });
  await upstream.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${opts.token}` } } }));
  const server = new Server({ name: 'kx', version: VERSION }, { capabilities: { tools: {} }, instructions: upstream.getInstructions() ?? '' });
  server.setRequestHandler(ListToolsRequestSchema, (req) => upstream.listTools(req.params));
  server.setRequestHandler(CallToolRequestSchema, (req) => upstream.callTool(req.params));
  await server.connect(opts.transport ?? new StdioServerTransport());
  return {
    close: async () => {
      await server.close();
      await upstream.close();
    },
  };
}
