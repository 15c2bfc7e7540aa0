import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseEnvFile } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/config-error.js';
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

describe('settings errors in plain words', () => {
  const load = (opts: Parameters<typeof loadConfig>[0]) => () => loadConfig({ cwd: tempDir(), env: {}, argv: [], ...opts });

  it('names the flag, the rule and what was given for a bad --port', () => {
    expect(load({ argv: ['--port', 'abc'] })).toThrow(/^--port must be a number from 1 to 65535 \(0 picks a free port\), got "abc"$/);
    expect(load({ argv: ['--port', '70000'] })).toThrow(/^--port must be a number from 1 to 65535 .*, got "70000"$/);
  });

  it('names the variable, or the file it came from', () => {
    expect(load({ env: { KX_PORT: 'eighty' } })).toThrow(/^KX_PORT must be a number from 1 to 65535 .*, got "eighty"$/);
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'proxy.env'), 'KX_PORT=eighty\n');
    expect(() => loadConfig({ cwd, env: {}, argv: [] })).toThrow(new RegExp(`^KX_PORT in ${path.join(cwd, 'proxy.env')} must be a number`));
  });

  it('says what is wrong with a bad URL once', () => {
    const err = (() => {
      try {
        load({ argv: ['--upstream', 'api.openai.com'] })();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(err).toBe('--upstream must be an absolute http(s) URL, e.g. https://api.openai.com/v1, got "api.openai.com"');
  });

  it('never quotes a secret back', () => {
    expect(load({ env: { KX_UI_TOKEN: 'short-secret' } })).toThrow(/^KX_UI_TOKEN must be at least 16 characters$/);
  });

  it('warns of a key in proxy.env kx does not know, with the setting it is closest to', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'proxy.env'), 'KX_PORTT=9100\nKX_SOMETHING_ELSE=1\n');
    const warnings: string[] = [];
    loadConfig({ cwd, env: {}, argv: [], warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      `${path.join(cwd, 'proxy.env')}: KX_PORTT is not a kx setting (did you mean KX_PORT?); it is ignored`,
      `${path.join(cwd, 'proxy.env')}: KX_SOMETHING_ELSE is not a kx setting; it is ignored`,
    ]);
  });

  it('warns of a KX_ variable in the environment that looks like a typo of a setting, and of none that is another tool\'s', () => {
    const cwd = tempDir();
    const warnings: string[] = [];
    loadConfig({ cwd, env: { KX_PORTT: '9100', KX_UPSTREAM: 'https://gw.example/v1', KX_CHROMIUM: '/opt/chrome', KX_FROM_SOURCE: '1', KX_MCP_TOKEN: 'x' }, argv: [], warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      'environment: KX_PORTT is not a kx setting (did you mean KX_PORT?); it is ignored',
      'environment: KX_UPSTREAM is not a kx setting (did you mean KX_UPSTREAM_BASE_URL?); it is ignored',
    ]);
  });

  it('refuses an empty KX_PORT, from the environment or proxy.env, instead of listening on a random port', () => {
    expect(load({ env: { KX_PORT: '' } })).toThrow(/^KX_PORT must not be empty, got ""$/);
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'proxy.env'), 'KX_PORT=\n');
    expect(() => loadConfig({ cwd, env: {}, argv: [] })).toThrow(new RegExp(`^KX_PORT in ${path.join(cwd, 'proxy.env')} must not be empty`));
    expect(load({ env: { KX_INJECT_MAX_TOKENS: ' ' } })).toThrow(/^KX_INJECT_MAX_TOKENS must not be empty/);
    expect(load({ argv: ['--port', '0'] })().port).toBe(0);
  });

  it('keeps each wrong setting apart, one mistake a line', () => {
    const err = (() => {
      try {
        load({ env: { KX_INSIGHT_API_KEY: '', KX_LOG_FILE: '' } })();
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.mistakes).toEqual(['KX_LOG_FILE must not be empty, got ""', 'KX_INSIGHT_API_KEY must not be empty']);
  });

  it('warns of a line in proxy.env that is not KEY=value in one line, and still reads the setting after it', () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'proxy.env');
    fs.writeFileSync(file, '# settings\nKX_PORT=9100\nthis is not env\nKX_HOST=127.0.0.2\nKX_UI_TOKEN="a multi\nline token-0123456789"\n');
    const warnings: string[] = [];
    const c = loadConfig({ cwd, env: {}, argv: [], warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([`${file} line 3: "this is not env" is not a setting (KEY=value); it is ignored`]);
    expect([c.port, c.host, c.uiToken]).toEqual([9100, '127.0.0.2', 'a multi\nline token-0123456789']);
  });

  it('reads the settings file KX_ENV_FILE names (relative to where kx is run), and --env-file before it', () => {
    const here = tempDir();
    fs.writeFileSync(path.join(here, 'a.env'), 'KX_PORT=9101\n');
    fs.writeFileSync(path.join(here, 'b.env'), 'KX_PORT=9102\n');
    expect(loadConfig({ cwd: tempDir(), flagsCwd: here, env: { KX_ENV_FILE: 'a.env' }, argv: [] }).port).toBe(9101);
    expect(loadConfig({ cwd: tempDir(), flagsCwd: here, env: { KX_ENV_FILE: 'a.env' }, argv: ['--env-file', 'b.env'] }).port).toBe(9102);
    expect(load({ flagsCwd: here, env: { KX_ENV_FILE: 'nosuch.env' } })).toThrow(`env file not found: ${path.join(here, 'nosuch.env')} (KX_ENV_FILE)`);
    expect(load({ env: { KX_ENV_FILE: '' } })).toThrow(/^KX_ENV_FILE must not be empty$/);
  });

  it('refuses a documents folder under a file in one sentence', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    expect(load({ argv: ['--documents', path.join(file, 'docs')] })).toThrow(new RegExp(`^cannot make the folder ${path.join(file, 'docs')}: ${file} is a file, not a folder$`));
  });
});
