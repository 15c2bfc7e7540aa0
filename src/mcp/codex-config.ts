// How an MCP client finds kx's memory: the per-run Codex overrides `kx codex` adds (nothing written to
// ~/.codex), and the lines and JSON people copy when they start a client themselves.

import { mcpTokenOf } from '../api/auth.js';

/** The variable `kx codex` puts the MCP token in; Codex reads it (`bearer_token_env_var`), so it is never in argv. */
export const MCP_TOKEN_ENV = 'KX_MCP_TOKEN';

/**
 * The environment `kx codex` gives Codex, and so every command the agent runs: the MCP token, which
 * only reads memory, and never the console token (a `KX_UI_TOKEN` of the user's shell is taken out).
 */
export function codexEnv(parent: NodeJS.ProcessEnv, consoleToken: string | undefined): NodeJS.ProcessEnv {
  const { KX_UI_TOKEN: _console, ...env } = parent;
  return consoleToken === undefined ? env : { ...env, [MCP_TOKEN_ENV]: mcpTokenOf(consoleToken) };
}

export const mcpUrl = (kxUrl: string): string => `${kxUrl.replace(/\/+$/, '')}/mcp`;

/**
 * `-c` overrides that add kx as the MCP server `kx`. Its tools only read, so they are approved up front:
 * without it, `codex exec` (approval policy "never") refuses every MCP call (docs/protocol.md, "MCP tools").
 */
export function codexMcpOverrides(kxUrl: string): string[] {
  return [
    '-c',
    `mcp_servers.kx.url=${JSON.stringify(mcpUrl(kxUrl))}`,
    '-c',
    `mcp_servers.kx.bearer_token_env_var=${JSON.stringify(MCP_TOKEN_ENV)}`,
    '-c',
    'mcp_servers.kx.default_tools_approval_mode="approve"',
  ];
}

/** The same, as ~/.codex/config.toml lines. */
export function codexMcpToml(kxUrl: string): string {
  return ['[mcp_servers.kx]', `url = ${JSON.stringify(mcpUrl(kxUrl))}`, `bearer_token_env_var = ${JSON.stringify(MCP_TOKEN_ENV)}`, 'default_tools_approval_mode = "approve"'].join('\n');
}
