// Secrets in the key/value shapes tools really print: JSON, YAML, env files, headers, connection
// strings. Each sample is what the tool prints, with made-up values built so no scanner mistakes
// this file for a leak.

import { describe, expect, it } from 'vitest';
import { redact, redactionWork } from '../../src/capture/redact.js';
import { restoreSecrets } from '../../src/learn/secret-spans.js';

const k = (...parts: string[]) => parts.join('');
const AWS_SECRET = k('9drTJvcXLB89', 'EXAMPLELB8923FB892xMFI');
const AWS_SESSION = k('AQoXdzELDDY//////////wEaoAK1wvxJY12r2IrDFT2IvAzTCn3zHoZ7YNtpiQLF0MqZye/qwjzP2iEXAMPLEbw/m3hsj8VBTkPORGvr9jM5sgP', '+w9IZWZnU+LWhmg+a5fDi2oTGUYcdg9uexQ4mtCHIHfi4citgqZTgco40Yqr4lIlo4V2b2Dyauk0eYFNebHtYlFVgAUj+7Indz3LU0aTWk1WKIjHmmMCIoTkyYp/k7kUG7moeEYKSitwQIi6Gjn');
const NPM = k('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
const HF = k('hf_', 'QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi');
const AZURE = k('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu', 'Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==');

/** Each format: a realistic printout and the secrets in it. */
const FORMATS: Array<[string, string, string[]]> = [
  [
    'the JSON of `aws sts assume-role`',
    JSON.stringify(
      {
        Credentials: { AccessKeyId: k('ASIA', 'JEXAMPLEXEG2JICE'), SecretAccessKey: AWS_SECRET, SessionToken: AWS_SESSION, Expiration: '2026-12-05T13:05:07+00:00' },
        AssumedRoleUser: { AssumedRoleId: 'AROA3XFRBF535PLBIFPI4:s3-access-example', Arn: 'arn:aws:sts::123456789012:assumed-role/xaccounts3access/s3-access-example' },
      },
      null,
      4,
    ),
    [k('ASIA', 'JEXAMPLEXEG2JICE'), AWS_SECRET, AWS_SESSION],
  ],
  ['an .npmrc with an _authToken', `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM}\nalways-auth=true`, [NPM]],
  ['an .npmrc with _auth and _password', `//npm.corp.example/:_auth=dXNlcjpodW50ZXIydHdv\n//npm.corp.example/:_password="aHVudGVyMnR3bw=="`, ['dXNlcjpodW50ZXIydHdv', 'aHVudGVyMnR3bw==']],
  ['a JSON "password"', '{\n  "host": "db.internal",\n  "user": "app",\n  "password": "c0rrect horse-battery",\n  "port": 5432\n}', ['c0rrect horse-battery']],
  ['a JSON string holding JSON (escaped quotes)', '{"arguments":"{\\"client_secret\\": \\"s3cr3tValue99\\"}"}', ['s3cr3tValue99']],
  ['an `Authorization: Basic` header', 'curl -sv https://api.example.com/v2/items \\\n  -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"\n> Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', ['YWxhZGRpbjpvcGVuc2VzYW1l']],
  ['an `x-api-key` header', `curl https://api.anthropic.com/v1/messages -H 'x-api-key: ${k('a8f0c2e4', 'b6d81357')}' -H 'content-type: application/json'\nx-api-key: ${k('a8f0c2e4', 'b6d81357')}`, [k('a8f0c2e4', 'b6d81357')]],
  ['a Hugging Face token', `export HF_HUB_ENABLE_HF_TRANSFER=1\nLogin successful: ${HF} saved to ~/.cache/huggingface/token`, [HF]],
  ['an Azure storage connection string', `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=shopassets;AccountKey=${AZURE};EndpointSuffix=core.windows.net"`, [AZURE]],
  ['a SQL Server connection string', 'Server=tcp:shop.database.windows.net,1433;Initial Catalog=shop;User ID=app;Password=Pa55w0rd!x;Encrypt=True;', ['Pa55w0rd!x']],
  ['.env PASSWORD lines', 'POSTGRES_USER=app\nPOSTGRES_PASSWORD=\'pa ss#word 42\'\nDB_PASSWORD=hun#ter2\nREDIS_PASSWORD = "s3cret value"\nPASSWORD=abc', ["pa ss#word 42", 'hun#ter2', 's3cret value', 'abc']],
  ['YAML credentials', 'database:\n  username: app\n  password: "y4ml-p@ss"\n  api-key: yk_0987654321\nsmtp:\n  - auth_token: tok0987654321', ['y4ml-p@ss', 'yk_0987654321', 'tok0987654321']],
  ['Java properties', 'spring.datasource.url=jdbc:postgresql://db:5432/shop\nspring.datasource.password=pr0pertyPass', ['pr0pertyPass']],
  ['a Python dict', "client = Client(config={'api_key': 'pyK3y-123456', 'timeout': 30})", ['pyK3y-123456']],
  ['a URL query parameter', 'GET https://api.example.com/v1/search?q=shoes&access_token=q9Zx8Yw7Vu6T&page=2', ['q9Zx8Yw7Vu6T']],
];

describe('secrets in key/value shapes', () => {
  for (const [name, text, secrets] of FORMATS) {
    it(`redacts ${name}`, () => {
      const out = redact(text);
      for (const secret of secrets) expect(out).not.toContain(secret);
      expect(out).toContain('[REDACTED');
    });
  }

  it('keeps names, quotes and the rest of the structure, so the text still reads', () => {
    expect(redact('{"password": "hunter2two", "port": 5432}')).toBe('{"password": "[REDACTED]", "port": 5432}');
    expect(redact('-H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"')).toBe('-H "Authorization: Basic [REDACTED]"');
    expect(redact('a=1;AccountKey=abcdefgh==;EndpointSuffix=core.windows.net')).toBe('a=1;AccountKey=[REDACTED];EndpointSuffix=core.windows.net');
  });

  it('leaves code and counts alone', () => {
    const code = [
      'const tokenCount = tokens.length;',
      'const apiKey = process.env.API_KEY;',
      '"usage": {"input_tokens": 5021, "output_tokens": 88},',
      'max_tokens: 4096',
      'tokenizer: gpt2',
      'PWD=/home/ana/shop',
      'The password is in the vault: ask Ana.',
      'if (!password) throw new Error("password: required");',
    ].join('\n');
    expect(redact(code)).toBe(code);
  });

  it('is idempotent, so learn mode rebuilds the secrets of a redacted text', () => {
    for (const [, text] of FORMATS) {
      const once = redact(text);
      expect(redact(once)).toBe(once);
      expect(restoreSecrets(once, text)).toEqual({ text, unresolved: 0 });
    }
  });
});

describe('redaction cost', () => {
  const FOUR_MB = 4 << 20;
  /** Inputs shaped to make a backtracking scanner rescan: long names, unclosed quotes, keywords everywhere. */
  const SHAPES: Array<[string, string]> = [
    ['one name of repeated keywords', 'token'.repeat(FOUR_MB / 5)],
    ['keys with unclosed quoted values on one line', '"password": "x'.repeat(FOUR_MB / 14)],
    ['escaped keys with unclosed values', '\\"token\\": \\"'.repeat(FOUR_MB / 13)],
    ['keys followed by blanks and no separator', 'secret        '.repeat(FOUR_MB / 14)],
    ['separators with nothing after them', ';Password=;'.repeat(FOUR_MB / 11)],
    ['dotted names', 'a.b-c_password.'.repeat(FOUR_MB / 15)],
    ['header names with long blanks', ' x-api-key:\t\t\t\t'.repeat(FOUR_MB / 15)],
    ['quoted keys, no values', "'api_key' = '".repeat(FOUR_MB / 13)],
    ['one long member chain after a key', `password: ${'ab.'.repeat(FOUR_MB / 3)}`],
    ['keys whose values are unclosed templates', 'token: ${{ x '.repeat(FOUR_MB / 13)],
    ['keys whose values are calls holding keys', 'api_key=f(token: g('.repeat(FOUR_MB / 19)],
    ['keys whose values are words followed by more words', 'x password = abc def '.repeat(FOUR_MB / 21)],
  ];
  for (const [name, text] of SHAPES) {
    it(`does work linear in the input on ${name}`, () => {
      const work = redactionWork(text);
      expect(work).toBeGreaterThan(0);
      expect(work).toBeLessThanOrEqual(8 * text.length);
    });
  }
});
