import { describe, expect, it } from 'vitest';
import { FIELD_CAP, redact, redactDeep, storedText } from '../../src/capture/redact.js';

// Real-looking, never real: each is built so no scanner mistakes this file for a leak.
const k = (...parts: string[]) => parts.join('');
const SAMPLES: Array<[string, string]> = [
  ['OpenAI project key', k('sk-proj-', 'Ab3dEfGh1jKlMn0pQrStUvWxYz_0123456789abcdEFGH')],
  ['OpenAI legacy key', k('sk-', 'T3BlbkFJ', 'a1b2c3d4e5f6g7h8i9j0k1l2')],
  ['Anthropic key', k('sk-ant-api03-', 'xYz0123456789abcdefghijklmnopqrstuv')],
  ['AWS access key id', k('AKIA', 'IOSFODNN7EXAMPLE')],
  ['GitHub token', k('ghp_', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')],
  ['Slack token', k('xoxb-', '1234567890-0987654321-AbCdEfGhIjKl')],
  ['Google API key', k('AIza', 'SyD-1234567890abcdefghijklmnopqrstu')],
  ['Stripe key', k('sk_live_', '51HxYzAbCdEfGhIjKlMnOpQr')],
  ['JWT', k('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')],
];

describe('secret redaction', () => {
  for (const [name, secret] of SAMPLES) {
    it(`redacts a ${name} inside ordinary text`, () => {
      const out = redact(`config: ${secret} (loaded)`);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/^config: \[REDACTED:[a-z-]+\] \(loaded\)$/);
    });
  }

  it('redacts the values of a printed .env file and keeps the names', () => {
    const env = ['DATABASE_URL=postgres://app:hunter2pass@db:5432/app', 'STRIPE_SECRET_KEY="abc123def456"', 'export GITHUB_TOKEN=tok_value_1234', 'DEBUG=true', 'AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG'].join('\n');
    const out = redact(env);
    expect(out).toContain('DATABASE_URL=postgres://app:[REDACTED]@db:5432/app');
    expect(out).toContain('STRIPE_SECRET_KEY="[REDACTED]"');
    expect(out).toContain('export GITHUB_TOKEN=[REDACTED]');
    expect(out).toContain('DEBUG=true');
    expect(out).toContain('AWS_SECRET_ACCESS_KEY: [REDACTED]');
    for (const secret of ['hunter2pass', 'abc123def456', 'tok_value_1234', 'wJalrXUtnFEMI']) expect(out).not.toContain(secret);
  });

  it('redacts a private key block whole', () => {
    const pem = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', '-----END OPENSSH PRIVATE KEY-----'].join('\n');
    expect(redact(`key:\n${pem}\ndone`)).toBe('key:\n[REDACTED:private-key]\ndone');
  });

  it('redacts a key block whose end was cut off, as `head` prints it, to the end of the text', () => {
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'].join('\n');
    expect(redact(`$ head -2 id_rsa\n${pem}`)).toBe('$ head -2 id_rsa\n[REDACTED:private-key]');
  });

  it('redacts a key block whose start was cut off, from the start of the text', () => {
    const pem = ['VLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0', '-----END RSA PRIVATE KEY-----'].join('\n');
    expect(redact(`${pem}\nafter`)).toBe('[REDACTED:private-key]\nafter');
  });

  it('redacts bearer tokens in a printed curl command', () => {
    expect(redact('curl -H "Authorization: Bearer abcdefghijklmnop1234567890"')).toBe('curl -H "Authorization: Bearer [REDACTED:bearer]"');
  });

  it('leaves ordinary code alone', () => {
    const code = 'const tokenCount = tokens.length;\nfunction getPassword(user) { return vault.read(user); }\nls -la';
    expect(redact(code)).toBe(code);
  });

  it('redacts strings nested in JSON values', () => {
    expect(redactDeep({ a: [{ b: `key ${SAMPLES[0]![1]}` }], n: 1 })).toEqual({ a: [{ b: 'key [REDACTED:api-key]' }], n: 1 });
  });

  it('stores a huge field as its head and tail around a marker, redacted, whatever straddles the cut', () => {
    const key = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW'.repeat(4000), '-----END OPENSSH PRIVATE KEY-----'].join('\n');
    const filler = 'log line\n'.repeat(70_000);
    const huge = `${filler}${key}\n${filler}${k('sk-proj-', 'Ab3dEfGh1jKlMn0pQrStUvWxYz_0123456789abcdEFGH')}\nend`;
    expect(huge.length).toBeGreaterThan(FIELD_CAP);
    const stored = storedText(huge);
    expect(stored.length).toBeLessThanOrEqual(FIELD_CAP + 200);
    expect(stored).toMatch(/\[kx: \d+ characters cut here; the field had \d+\]/);
    expect(stored.startsWith('log line\n')).toBe(true);
    expect(stored.endsWith('[REDACTED:api-key]\nend')).toBe(true);
    expect(stored).not.toContain('b3BlbnNzaC1rZXk');
  });

  for (const [where, keep] of [['start of the kept tail', 128 * 1024], ['end of the kept head', -(768 * 1024)]] as const) {
    it(`redacts a key that straddles the ${where} of a huge field`, () => {
      const key = k('sk-proj-', 'Zq9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1_'.repeat(4));
      const filler = 'x '.repeat(FIELD_CAP);
      // Put the key's middle exactly on the cut: `keep` characters from the end (tail) or from the start (head).
      const at = keep > 0 ? filler.length * 2 - keep + 60 : -keep - 60;
      const huge = keep > 0 ? `${filler}${filler}`.slice(0, at) + key + `${filler}${filler}`.slice(at) : filler.slice(0, at) + key + filler.slice(at);
      const stored = storedText(huge);
      expect(stored).toMatch(/\[kx: \d+ characters cut here/);
      for (let i = 0; i + 16 <= key.length; i++) expect(stored).not.toContain(key.slice(i, i + 16));
    });
  }

  it('stores a field under the cap whole', () => {
    const text = 'x'.repeat(FIELD_CAP);
    expect(storedText(text)).toBe(text);
  });
});
