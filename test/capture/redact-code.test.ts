// Code names secrets without holding them: `refresh_token: session.refreshToken` passes a variable,
// and redacting it wrecks the code a person later reads in memory. A secret-named key's value is
// redacted only when it is a literal (quoted, or a bare token shaped like a secret); variable
// references, member chains, calls and `$VARS` stay, and the statement around a value always stays.
// Samples are cut from real code; secret values are built so no scanner mistakes this file for a leak.

import { describe, expect, it } from 'vitest';
import { redact } from '../../src/capture/redact.js';
import { restoreSecrets } from '../../src/learn/secret-spans.js';

const k = (...parts: string[]) => parts.join('');

/** Code that only names secrets: redaction must leave every character. */
const REFERENCES: Array<[string, string]> = [
  [
    'a JS object literal passing a member (the trial 7 refresh)',
    "export async function refreshAccessToken(session) {\n  const res = await oauth.token({ grant_type: 'refresh_token', refresh_token: session.refreshToken });\n  session.refreshToken = res.refresh_token;\n  return res.access_token;\n}",
  ],
  ['a multi-line object literal', 'const body = {\n  client_secret: config.oauth.clientSecret,\n  refresh_token: refreshToken,\n  apiKey: process.env.OPENAI_API_KEY,\n  token: token\n};'],
  ['a nested object under a secret-named key', "transport = nodemailer.createTransport({ auth: { user: 'app', password: process.env.SMTP_PASS } });"],
  ['a JS call with shorthand-like pairs', 'await login({ username: user.name, password: form.password.value });'],
  ['a TypeScript interface', 'interface Session {\n  refreshToken: string;\n  accessToken?: string;\n  apiKey: string\n}'],
  ['Python kwargs', 'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\nconn = psycopg2.connect(host=host, password=password, dbname=db)\nstripe.api_key = settings.STRIPE_SECRET_KEY'],
  ['Python assignments', 'self.api_key = api_key\ntoken = get_token(user)\npassword = password or getpass.getpass()\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")'],
  ['shell variable references', 'export GITHUB_TOKEN=$(gh auth token)\nexport NPM_TOKEN="$NPM_TOKEN"\nexport API_KEY=${API_KEY:-}\ncurl -H "Authorization: Bearer $TOKEN" https://api.example.com'],
  ['a compose file and a workflow naming secrets', 'environment:\n  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\nenv:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  api_key: "{{ .Values.apiKey }}"'],
  ['a Go struct literal', 'cfg := Config{\n\tPassword: os.Getenv("DB_PASSWORD"),\n\tToken:    creds.Token,\n}'],
  ['comparisons and declarations', 'if (password === confirmPassword) return token == null ? refresh() : token;\nconst password = form.password;\nlet token = await getToken()\nconst secret = secretFromVault\ntoken := os.Getenv("TOKEN")\nmatch token { Token::Bearer(t) => t }'],
  ['a .env line pointing at another variable', 'DATABASE_PASSWORD=${POSTGRES_PASSWORD}'],
];

/** Literal secrets written in code and config: each must be gone, and the text after it kept. */
const LITERALS: Array<[string, string, string[], string]> = [
  ['a JS object literal with a quoted key', "const stripe = new Stripe({ apiKey: 'abc123def456ghi', timeout: 30 });", ['abc123def456ghi'], ', timeout: 30 });'],
  ['a nested object under a secret-named key', "auth: { user: 'app', password: 'hunter2two' },", ['hunter2two'], "' },"],
  ['a declaration holding a quoted secret', 'const password = "hunter2two";\nlet apiSecret = \'shh-d0nt-tell\';', ['hunter2two', 'shh-d0nt-tell'], "';"],
  ['a Go declaration holding a quoted secret', 'dbPassword := "g0-s3cret-pass"\nfmt.Println(dbPassword)', ['g0-s3cret-pass'], 'fmt.Println(dbPassword)'],
  ['a JS assignment of a quoted secret', 'session.refreshToken = "r3fr3sh-T0ken-value";', ['r3fr3sh-T0ken-value'], '";'],
  ['Python kwargs with a quoted secret', 'client = Client(api_key="pyK3y-123456", timeout=30)', ['pyK3y-123456'], '", timeout=30)'],
  ['a bare secret-shaped token in code', 'const cfg = { token: a8f0c2e4b6d81357f00d, retries: 3 };', ['a8f0c2e4b6d81357f00d'], ', retries: 3 };'],
  ['a bare secret-shaped token under a quoted key', '{"api_key": a8f0c2e4b6d81357f00d, "retries": 3}', ['a8f0c2e4b6d81357f00d'], ', "retries": 3}'],
  ['a bare secret ending a statement', 'client.token = a8f0c2e4b6d81357f00d;', ['a8f0c2e4b6d81357f00d'], ';'],
  ['a shell export', `export GITHUB_TOKEN=tok_value_1234\nexport AWS_SECRET_ACCESS_KEY=${k('wJalrXUtnFEMI', '/K7MDENG')}`, ['tok_value_1234', 'wJalrXUtnFEMI'], ''],
  ['.env lines of plain words', 'SECRET_KEY=changeme\nDB_PASSWORD=hunter', ['changeme', 'hunter'], ''],
  ['INI and YAML values of plain words', '[client]\npassword = mysecret\n---\nauth:\n  password: changeme # rotate me', ['mysecret', 'changeme'], ' # rotate me'],
  ['a header inside a quoted argument', "curl -H 'x-api-key: abcdefghijk' https://api.example.com", ['abcdefghijk'], "' https://api.example.com"],
  ['a JSON value', '{"refresh_token": "session.refreshToken", "expires_in": 3600}', ['session.refreshToken'], '", "expires_in": 3600}'],
  ['a value that starts with $ but names no variable', '{"password": "$ecretPass"}\nDB_PASSWORD=$ecretPass', ['ecretPass'], ''],
  ['a dotted value made of random segments', `api_key: ${k('pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjbGFi', 'YzEyMyJ9.Xq3kL9vBw2Zr8TnYh4Jc1A')}`, ['eyJ1IjoiZXhhbXBsZ', 'Xq3kL9vBw2Zr8TnYh4Jc1A'], ''],
];

describe('code that names secrets', () => {
  for (const [name, code] of REFERENCES) {
    it(`leaves ${name} as written`, () => {
      expect(redact(code)).toBe(code);
    });
  }
});

describe('literal secrets in code and config', () => {
  for (const [name, text, secrets, kept] of LITERALS) {
    it(`redacts ${name} and keeps the rest of the statement`, () => {
      const out = redact(text);
      for (const secret of secrets) expect(out).not.toContain(secret);
      expect(out).toContain('[REDACTED');
      expect(out.endsWith(kept)).toBe(true);
    });
  }

  it('is idempotent on each sample, so learn mode rebuilds the secrets of a redacted text', () => {
    for (const [, text] of LITERALS) {
      const once = redact(text);
      expect(redact(once)).toBe(once);
      expect(restoreSecrets(once, text).unresolved).toBe(0);
    }
  });
});
