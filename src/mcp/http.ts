// /mcp on kx's own port: the Model Context Protocol over Streamable HTTP, stateless (a fresh server and
// transport per request, JSON answers, no session to keep), behind the MCP token as a Bearer header
// and the same Host and Origin checks as /api. Never touches the proxy: it reads the store.

import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { bearerOf, mcpTokenOf, tokenMatches } from '../api/auth.js';
import { originMatches } from '../api/same-origin.js';
import { hostAllowed } from '../api/host-check.js';
import { securityHeaders } from '../api/security-headers.js';
import { LookupLog } from './lookups.js';
import type { Memory } from './memory.js';
import { memoryServer } from './tools.js';
import type Database from 'better-sqlite3';

export interface McpDeps {
  memory: Memory;
  db: Database.Database;
  /** The console token; /mcp takes the MCP token derived from it (mcpTokenOf). */
  token: string;
  boundHost: string;
  log?: (line: { level: 'error'; msg: string; error: string }) => void;
}

const refuse = (message: string, type: string) => ({ jsonrpc: '2.0', error: { code: -32001, message: `kx: ${message}`, data: { type } }, id: null });

/** An Origin is acceptable only when it is kx's own (the console), like the console's POSTs; no Origin is not a browser. */
const originAllowed = (origin: string | undefined, host: string | undefined): boolean => origin === undefined || (host !== undefined && originMatches(origin, host));

export function createMcpApp(deps: McpDeps): Hono {
  const app = new Hono();
  const lookups = new LookupLog(deps.db);
  app.use('*', securityHeaders());
  // Its own token, derived from the console's: what the agent holds opens memory, never /api.
  const token = mcpTokenOf(deps.token);
  app.use('*', async (c, next) => {
    const host = c.req.header('host');
    if (!hostAllowed(host, deps.boundHost)) return c.json(refuse('Host header not allowed', 'forbidden_host'), 403);
    // A web page may not drive the agent's memory (DNS rebinding, or a page on another origin).
    if (!originAllowed(c.req.header('origin'), host)) return c.json(refuse('cross-site request refused', 'forbidden_origin'), 403);
    if (!tokenMatches(bearerOf(c.req.header('authorization')), token)) {
      c.header('www-authenticate', 'Bearer realm="kx"');
      return c.json(refuse('missing or wrong token: send the MCP token kx start printed (kxmcp_…) as "Authorization: Bearer <token>"', 'unauthorized'), 401);
    }
    return next();
  });
  app.all('/mcp', async (c) => {
    const server = memoryServer({
      memory: deps.memory,
      ...(c.req.query('project') ? { urlProject: c.req.query('project')! } : {}),
      onCall: (call) => {
        try {
          lookups.record(call.sessionId, call.tool, call.args);
        } catch (err) {
          // Counting is a nicety: the answer goes out even if the count cannot be written.
          deps.log?.({ level: 'error', msg: 'memory lookup not recorded', error: (err as Error).message });
        }
      },
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: 1024 * 1024 });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      void server.close();
    }
  });
  app.notFound((c) => c.json(refuse(`no route ${c.req.method} ${c.req.path}`, 'not_found'), 404));
  app.onError((err, c) => c.json(refuse(err.message, 'internal_error'), 500));
  return app;
}
