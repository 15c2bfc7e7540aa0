import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/mcp/codex-config.js
var MCP_TOKEN_ENV = "KX_MCP_TOKEN";
var mcpUrl = (kxUrl) => `${kxUrl.replace(/\/+$/, "")}/mcp`;
function codexMcpOverrides(kxUrl) {
  return [
    "-c",
    `mcp_servers.kx.url=${JSON.stringify(mcpUrl(kxUrl))}`,
    "-c",
    `mcp_servers.kx.bearer_token_env_var=${JSON.stringify(MCP_TOKEN_ENV)}`,
    "-c",
    'mcp_servers.kx.default_tools_approval_mode="approve"'
  ];
}

export {
  MCP_TOKEN_ENV,
  mcpUrl,
  codexMcpOverrides
};
