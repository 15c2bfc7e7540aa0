import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseEnvFile } from '../../src/config/config.js';
import { tempDir } from '../support/recording.js';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const cwd = tempDir();
    const c = loadConfig({ cwd, env: {}, argv: [] });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, documentsDir: path.join(cwd, 'documents'), allowRemote: false });
    expect(c.upstreamBaseUrl.href).toBe('https://api.openai.com/v1');
    expect(c.chatgptBaseUrl?.href).toBe('https://chatgpt.com/backend-api/codex');
  });

  it('reads KX_CHATGPT_BASE_URL, its --chatgpt-upstream flag, and off', () => {
    expect(loadConfig({ cwd: tempDir(), env: { KX_CHATGPT_BASE_URL: 'http://127.0.0.1:9/backend-api/codex' }, argv: [] }).chatgptBaseUrl?.href).toBe(
      'http://127.0.0.1:9/backend-api/codex',
    );
    expect(loadConfig({ cwd: tempDir(), env: {}, argv: ['--chatgpt-upstream', 'off'] }).chatgptBaseUrl).toBeNull();
  });

  it('sends ChatGPT logins to KX_UPSTREAM_BASE_URL too when that is the only upstream set', () => {
    const c = loadConfig({ cwd: tempDir(), env: {}, argv: ['--upstream', 'https://gateway.example.com/v1'] });
    expect(c.chatgptBaseUrl?.href).toBe('https://gateway.example.com/v1');
  });

  it('reads proxy.env, lets the environment override it and flags override both', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'proxy.env'), '# comment\nKX_PORT=9000\nKX_UPSTREAM_BASE_URL="https://chatgpt.com/backend-api/codex"\nKX_DOCUMENTS_DIR=data\n');
    const c = loadConfig({ cwd, env: { KX_PORT: '9100' }, argv: ['--documents', 'other'] });
    expect(c.port).toBe(9100);
    expect(c.upstreamBaseUrl.href).toBe('https://chatgpt.com/backend-api/codex');
    expect(c.documentsDir).toBe(path.join(cwd, 'other'));
  });

  it('keeps a random UI token per install in documents/ui-token, readable only by its owner', () => {
    const cwd = tempDir();
    const a = loadConfig({ cwd, env: {}, argv: [] });
    const b = loadConfig({ cwd, env: {}, argv: [] });
    expect(a.uiToken).toHaveLength(32);
    expect(b.uiToken).toBe(a.uiToken);
    expect(fs.statSync(path.join(cwd, 'documents', 'ui-token')).mode & 0o777).toBe(0o600);
  });

  it('refuses to bind beyond loopback without --allow-remote', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: {}, argv: ['--host', '0.0.0.0'] })).toThrow(/--allow-remote/);
    expect(loadConfig({ cwd: tempDir(), env: {}, argv: ['--host', '0.0.0.0', '--allow-remote'] }).allowRemote).toBe(true);
  });

  it('explains a bad value', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_PORT: 'eighty' }, argv: [] })).toThrow(/KX_PORT/);
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_UPSTREAM_BASE_URL: 'api.openai.com' }, argv: [] })).toThrow(/KX_UPSTREAM_BASE_URL/);
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_CHATGPT_BASE_URL: 'chatgpt.com' }, argv: [] })).toThrow(/KX_CHATGPT_BASE_URL/);
    expect(() => loadConfig({ cwd: tempDir(), env: {}, argv: ['--bogus'] })).toThrow(/unknown option --bogus/);
  });

  it('parses env files with export, quotes and comments', () => {
    expect(parseEnvFile("export A=1\nB='two'\n# C=3\n  D = \"x y\"")).toEqual({ A: '1', B: 'two', D: 'x y' });
  });

  it('reads a value followed by a comment as the value alone', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'proxy.env'), 'KX_PORT=8799   # the port\n');
    expect(loadConfig({ cwd, env: {}, argv: [] }).port).toBe(8799);
  });

  it('keeps the # inside a quoted value, and drops the quotes', () => {
    expect(parseEnvFile('KX_UI_TOKEN="abc#def-0123456789" # the token\nB=\'x # y\'')).toEqual({ KX_UI_TOKEN: 'abc#def-0123456789', B: 'x # y' });
  });

  it('says which option needs a value and refuses stray words', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: {}, argv: ['--port'] })).toThrow(/--port needs a value/);
    expect(() => loadConfig({ cwd: tempDir(), env: {}, argv: ['8787'] })).toThrow(/unexpected argument 8787/);
  });

  it('reads the insight settings with their documented defaults, the key from KX_INSIGHT_API_KEY before OPENAI_API_KEY', () => {
    const cwd = tempDir();
    const d = loadConfig({ cwd, env: {}, argv: [] }).insight!;
    expect(d).toMatchObject({ mode: 'turn', model: 'gpt-5', apiKey: undefined, concurrency: 2, maxInputTokens: 12_000, idleMinutes: 30 });
    expect(d.baseUrl.href).toBe('https://api.openai.com/v1');
    expect(loadConfig({ cwd, env: { OPENAI_API_KEY: 'sk-openai' }, argv: [] }).insight!.apiKey).toBe('sk-openai');
    expect(loadConfig({ cwd, env: { OPENAI_API_KEY: 'sk-openai', KX_INSIGHT_API_KEY: 'sk-kx' }, argv: [] }).insight!.apiKey).toBe('sk-kx');
  });

  it('refuses an unknown KX_INSIGHT mode with a message that lists the valid ones', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: { KX_INSIGHT: 'always' }, argv: [] })).toThrow(/KX_INSIGHT must be off, turn or session/);
  });
});
