// The labelled retrieval set: 15 past sessions that solved something (the targets, the OLDEST in the store),
// each with five queries of the kinds people and agents ask, and a generator of everyday sessions that come
// later and share their vocabulary. Written by hand for the targets; deterministic for the rest.

export type QueryKind = 'identifier' | 'phrase' | 'paraphrase' | 'question' | 'project';
export const QUERY_KINDS: QueryKind[] = ['identifier', 'phrase', 'paraphrase', 'question', 'project'];

export interface Target {
  project: string;
  human: string;
  output: string;
  answer: string;
  /**
   * Search terms as prompts/turn-insight.md asks the model for them, written by hand: a stand-in for what a
   * model would write, so the bench measures what good terms do to retrieval, not a model's skill.
   */
  terms: string;
  /** identifier, phrase from the task, paraphrase, question, and a short query scoped to the project. */
  queries: [string, string, string, string, string];
}

export const PROJECTS = ['auth-service', 'billing-api', 'web-app', 'data-pipeline'];

export const TARGETS: Target[] = [
  {
    project: 'auth-service',
    human: 'Users get logged out randomly when two tabs refresh the access token at the same time. Make concurrent refreshes share one request.',
    output: 'FAIL test/refresh.test.ts > concurrent refresh\n  Error: invalid_grant: refresh token already used',
    answer: 'Both tabs called refreshAccessToken() with the same refresh token and the second got invalid_grant, because tokens rotate. A single-flight promise in src/auth/refresh.ts now makes concurrent callers await one request.',
    terms: 'signed out, session expired, race condition, token rotation, single flight, invalid_grant, auth refresh',
    queries: ['refreshAccessToken invalid_grant', 'concurrent refreshes share one request', 'people signed out when several tabs renew the token together', 'how did we fix the token refresh race last time', 'logged out two tabs'],
  },
  {
    project: 'billing-api',
    human: 'Stripe webhooks fail signature verification in production but pass locally. Find out why.',
    output: 'StripeSignatureVerificationError: No signatures found matching the expected signature for payload',
    answer: 'express.json() parsed the body before constructEvent saw it, so the signed raw bytes were gone. The webhook route now uses express.raw({ type: "application/json" }) and verification passes.',
    terms: 'stripe webhook, signature mismatch, unsigned callback, raw body, express.json, payment provider',
    queries: ['StripeSignatureVerificationError', 'fail signature verification in production', 'payment provider callbacks rejected as unsigned', 'why did the stripe webhook signature check fail', 'webhook raw body'],
  },
  {
    project: 'web-app',
    human: 'The dashboard shows yesterday for events near midnight. Dates are off by one for users in Sydney.',
    output: 'expected "2026-02-03" received "2026-02-02"\n  at formatEventDate (src/dates.ts:14)',
    answer: 'formatEventDate used toISOString(), which converts to UTC before slicing the date. It now formats in the viewer timezone with Intl.DateTimeFormat and a test covers Australia/Sydney.',
    terms: 'timezone bug, wrong day, utc conversion, australia, previous day, calendar date, Intl.DateTimeFormat',
    queries: ['formatEventDate toISOString', 'dates are off by one', 'calendar shows the previous day for australian customers', 'what was wrong with the event dates near midnight', 'sydney dates'],
  },
  {
    project: 'data-pipeline',
    human: 'The nightly import of vendor CSV files crashes on some rows with accented names.',
    output: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 1423: invalid continuation byte",
    answer: 'The vendor exports latin-1, not UTF-8. read_csv now passes encoding="cp1252" for that vendor and the importer logs the encoding it used.',
    terms: 'character encoding, latin-1, cp1252, accented characters, supplier file, read_csv',
    queries: ['UnicodeDecodeError 0xe9', 'crashes on rows with accented names', 'supplier spreadsheet breaks on names with special letters', 'how did we handle the vendor csv encoding problem', 'vendor csv encoding'],
  },
  {
    project: 'web-app',
    human: 'Production build fails after upgrading vite: some env variables are undefined in the bundle.',
    output: 'ReferenceError: process is not defined\n    at config.ts:3:17',
    answer: 'Vite only exposes variables prefixed VITE_ through import.meta.env; process.env does not exist in the browser. Renamed API_URL to VITE_API_URL and read import.meta.env.VITE_API_URL.',
    terms: 'vite upgrade, frontend settings missing, environment variables empty, import.meta.env, bundler, process is not defined',
    queries: ['VITE_API_URL import.meta.env', 'env variables are undefined in the bundle', 'settings missing from the frontend after the bundler upgrade', 'why were the environment variables empty after the vite upgrade', 'vite env undefined'],
  },
  {
    project: 'auth-service',
    human: 'Password reset emails link to localhost in staging.',
    output: 'reset link: http://localhost:3000/reset?token=…',
    answer: 'buildResetUrl read PUBLIC_BASE_URL, which staging never set, and fell back to localhost. The deploy manifest now sets PUBLIC_BASE_URL per environment and the fallback throws outside development.',
    terms: 'password recovery email, reset link, wrong host, base url, staging config, PUBLIC_BASE_URL',
    queries: ['buildResetUrl PUBLIC_BASE_URL', 'password reset emails link to localhost', 'recovery mails point at my own machine on the test server', 'what caused the reset link to go to localhost', 'reset email localhost'],
  },
  {
    project: 'data-pipeline',
    human: 'The worker container gets OOM killed while merging the monthly frames.',
    output: 'Killed\nexit code 137 (OOMKilled) after pd.merge on 48M rows',
    answer: 'pd.merge duplicated rows because customer_id was not unique on the right side. Deduplicated with drop_duplicates before the merge, and read columns with usecols and category dtypes: peak memory fell from 14 GB to 3 GB.',
    terms: 'out of memory, oom killed, exit code 137, pandas merge, join explodes, duplicate keys, memory usage',
    queries: ['OOMKilled pd.merge', 'OOM killed while merging the monthly frames', 'container runs out of memory when joining tables', 'how did we stop the worker from running out of memory', 'merge memory killed'],
  },
  {
    project: 'billing-api',
    human: 'Invoices are sometimes created twice when the client retries a timed out request.',
    output: 'duplicate key value violates unique constraint "invoices_pkey" … 2 rows for order 8812',
    answer: 'Retries created a second invoice because createInvoice was not idempotent. Requests now carry an Idempotency-Key header, stored with a unique index, and a replay returns the first invoice.',
    terms: 'duplicate invoice, double charge, retry, idempotency key, idempotent',
    queries: ['createInvoice Idempotency-Key', 'invoices are sometimes created twice', 'customers billed double when the app tries again', 'how did we stop duplicate invoices on retry', 'duplicate invoice retry'],
  },
  {
    project: 'web-app',
    human: 'The search box fires a request on every keystroke and the results flicker.',
    output: 'Network: 27 requests to /api/search in 2.1 s, responses arriving out of order',
    answer: 'Added a 250 ms debounce with useDebouncedValue and an AbortController so a stale response can no longer overwrite a newer one.',
    terms: 'debounce, too many requests, flicker, stale response, race condition, abort request, typing',
    queries: ['useDebouncedValue AbortController', 'fires a request on every keystroke', 'typing in the filter floods the server and results jump around', 'how did we fix the flickering search results', 'search keystroke flicker'],
  },
  {
    project: 'auth-service',
    human: 'Login with Google works on the first try but fails after the session cookie expires.',
    output: 'Error: redirect_uri_mismatch. The redirect URI in the request does not match the ones authorized',
    answer: 'The re-login path built the callback from req.hostname behind the proxy, giving http instead of https. Set trust proxy and use the configured OAUTH_CALLBACK_URL everywhere.',
    terms: 'google oauth, sign in fails, redirect mismatch, callback url, trust proxy, https',
    queries: ['redirect_uri_mismatch OAUTH_CALLBACK_URL', 'fails after the session cookie expires', 'signing in with google breaks the second time', 'why did google sign in fail with a redirect mismatch', 'google login cookie expires'],
  },
  {
    project: 'data-pipeline',
    human: 'The cron job that exports reports runs twice on the day the clocks change.',
    output: 'export_reports started 2026-03-29T01:30:00+01:00\nexport_reports started 2026-03-29T01:30:00+02:00',
    answer: 'The schedule ran in Europe/Paris local time, so 01:30 happened twice at the DST change. The scheduler now runs in UTC and export_reports takes an advisory lock per day.',
    terms: 'daylight saving, dst, runs twice, cron schedule, duplicate report, timezone, utc scheduler',
    queries: ['export_reports advisory lock', 'runs twice on the day the clocks change', 'scheduled report duplicated at daylight saving switch', 'how did we fix the report export running twice', 'cron dst twice'],
  },
  {
    project: 'billing-api',
    human: 'Migrations hang in CI on the step that adds an index to payments.',
    output: 'waiting for ShareLock on relation payments … canceling statement due to lock timeout',
    answer: 'CREATE INDEX took a lock while a long transaction from the seed script held rows. The migration now uses CREATE INDEX CONCURRENTLY outside a transaction (disable_ddl_transaction).',
    terms: 'migration hangs, lock timeout, create index concurrently, postgres lock, ci pipeline stuck, schema change',
    queries: ['CREATE INDEX CONCURRENTLY disable_ddl_transaction', 'adds an index to payments', 'database schema change stuck in the pipeline', 'why did the payments index migration hang', 'index migration lock'],
  },
  {
    project: 'web-app',
    human: 'Images uploaded from iPhones appear rotated sideways in the gallery.',
    output: 'EXIF Orientation: 6 (Rotate 90 CW) on IMG_4312.HEIC',
    answer: 'The thumbnailer ignored EXIF orientation. sharp().rotate() with no argument applies it before resizing; existing thumbnails were regenerated.',
    terms: 'photo orientation, exif, rotated image, sideways, iphone, thumbnail, sharp',
    queries: ['sharp rotate EXIF Orientation', 'uploaded from iPhones appear rotated', 'phone photos come out turned on their side', 'how did we fix sideways photos', 'iphone photos rotated'],
  },
  {
    project: 'auth-service',
    human: 'Rate limiting blocks the whole office because everyone shares one public IP.',
    output: '429 Too Many Requests for 203.0.113.7 (limit 100/min) – 40 distinct users',
    answer: 'The limiter keyed on req.ip only. It now keys on the authenticated user id and falls back to the IP for anonymous calls; the limit per IP for anonymous calls stayed at 100/min.',
    terms: 'rate limit, 429, too many requests, shared ip, office network, per user limit',
    queries: ['429 req.ip limiter', 'blocks the whole office', 'everyone at work locked out for too many calls', 'how did we change the rate limit key', 'rate limit office ip'],
  },
  {
    project: 'data-pipeline',
    human: 'The S3 upload step times out for files over 5 GB.',
    output: 'EntityTooLarge: Your proposed upload exceeds the maximum allowed size',
    answer: 'put_object has a 5 GB limit. Switched to upload_file with a TransferConfig (multipart_threshold 100 MB, max_concurrency 8), which uploads in parts.',
    terms: 's3 upload, large file, multipart upload, 5 gb limit, EntityTooLarge, bucket, boto3',
    queries: ['EntityTooLarge upload_file TransferConfig', 'times out for files over 5 GB', 'big files fail to reach the bucket', 'how did we upload the large files to s3', 's3 large upload'],
  },
];

/** Words everyday sessions are made of: the targets' own vocabulary, so a target must win on more than one word. */
const VOCAB = ('token refresh login session cookie cache redis timeout retry webhook signature payment invoice migration index ' +
  'column docker build image vite config env variable test date timezone cron job queue worker memory upload file size limit ' +
  'header proxy deploy rollback pod python pandas frame merge csv encoding search request error users production staging ' +
  'email password reset google report export schedule lock database api bundle photo thumbnail rate office').split(' ');
const VERBS = 'fix add remove refactor speed up debug rename document review update check'.split(' ');
const TEMPLATES = [
  (w: string[], v: string) => `can you ${v} the ${w[0]} ${w[1]} in the ${w[2]} module`,
  (w: string[]) => `${w[0]} ${w[1]} is failing again after the ${w[2]} change, please look`,
  (w: string[], v: string) => `how do we ${v} the ${w[0]} for ${w[1]} ${w[2]}`,
  (w: string[]) => `why is the ${w[0]} ${w[1]} so slow when the ${w[2]} is big`,
  (w: string[], v: string) => `did we ${v} ${w[0]} ${w[1]} last time? it was about ${w[2]} ${w[3]}`,
  (w: string[]) => `write a test for ${w[0]} ${w[1]} and the ${w[2]} ${w[3]} case`,
];

function rng(seed: number): () => number {
  let x = (seed * 2654435761) >>> 0 || 1;
  return () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

/** An everyday request, deterministic in (session, turn). */
export function everydayHuman(session: number, turn: number): string {
  const r = rng(session * 31 + turn * 7 + 1);
  const words = Array.from({ length: 4 }, () => VOCAB[Math.floor(r() * VOCAB.length)]!);
  const verb = VERBS[Math.floor(r() * VERBS.length)]!;
  return TEMPLATES[Math.floor(r() * TEMPLATES.length)]!(words, verb);
}

/** An everyday answer: the request's words again, as agents do, and more of the vocabulary. */
export function everydayAnswer(session: number, turn: number): string {
  const r = rng(session * 17 + turn * 13 + 5);
  const words = Array.from({ length: 18 }, () => VOCAB[Math.floor(r() * VOCAB.length)]!);
  return `Done. I looked at ${words.slice(0, 3).join(' ')} and changed ${words.slice(3, 6).join(', ')}. ` +
    `The ${words[6]} ${words[7]} now works; tests for ${words.slice(8, 12).join(' ')} pass. Next: ${words.slice(12).join(' ')}.`;
}
