import { describe, expect, it } from 'vitest';
import { codexMcpOverrides, codexMcpToml, MCP_TOKEN_ENV } from '../../src/mcp/codex-config.js';

describe('Codex MCP overrides', () => {
  it('adds kx as the MCP server "kx" with its URL, a token variable and read-only tools approved, per run', () => {
    expect(codexMcpOverrides('http://127.0.0.1:8787')).toEqual([
      '-c',
      'mcp_servers.kx.url="http://127.0.0.1:8787/mcp"',
      '-c',
      `mcp_servers.kx.bearer_token_env_var="${MCP_TOKEN_ENV}"`,
      '-c',
      'mcp_servers.kx.default_tools_approval_mode="approve"',
    ]);
  });

  it('gives the same server as config.toml lines', () => {
    expect(codexMcpToml('http://127.0.0.1:8787')).toBe(
      `[mcp_servers.kx]\nurl = "http://127.0.0.1:8787/mcp"\nbearer_token_env_var = "KX_MCP_TOKEN"\ndefault_tools_approval_mode = "approve"`,
    );
  });
});
