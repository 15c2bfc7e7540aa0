// Search terms for the 15 targets, written blind: a model (a helper agent, not the author of the queries)
// was given only prompts/turn-insight.md and each target turn as recorded (project, human message, tool
// output, answer), never the queries, and asked for the turn's `search_terms` exactly as the prompt asks.
// A closer stand-in for what GPT-5 writes than terms written by the person who wrote the queries.

/** By target, in the order of TARGETS. */
export const BLIND_TERMS: string[][] = [
  ["logged out randomly","signed out in multiple tabs","race condition token refresh","concurrent refresh requests","invalid_grant","refresh token already used","refresh token rotation","single-flight promise","dedupe in-flight requests","refreshAccessToken","src/auth/refresh.ts","test/refresh.test.ts","session expires unexpectedly"],
  ["stripe webhook","webhook signature verification fails","works locally fails in production","StripeSignatureVerificationError","No signatures found matching the expected signature for payload","raw request body","express.raw","express.json body parser","constructEvent","webhook secret mismatch","payment events rejected"],
  ["date off by one","wrong day near midnight","shows yesterday","timezone bug","UTC conversion","toISOString","Intl.DateTimeFormat","Australia/Sydney","user local time zone","formatEventDate","src/dates.ts","dashboard event dates"],
  ["csv import crashes","accented characters","UnicodeDecodeError","'utf-8' codec can't decode byte 0xe9","invalid continuation byte","character encoding","latin-1","cp1252","windows-1252","pandas read_csv encoding","vendor csv files","nightly import job"],
  ["env variables undefined","environment variables missing in production build","ReferenceError: process is not defined","vite upgrade","VITE_ prefix","import.meta.env","process.env in browser","VITE_API_URL","config.ts","bundle build fails","dotenv frontend"],
  ["password reset link points to localhost","wrong url in email","forgot password email","staging environment","PUBLIC_BASE_URL","missing environment variable","base url fallback","buildResetUrl","deploy manifest","env config per environment"],
  ["out of memory","OOMKilled","exit code 137","container killed","pd.merge","pandas merge duplicates rows","row explosion join","non-unique join key","drop_duplicates","usecols","category dtype","reduce memory usage","worker container","customer_id"],
  ["duplicate invoices","invoice created twice","double charge","retry after timeout","idempotency","Idempotency-Key header","duplicate key value violates unique constraint","invoices_pkey","unique index","createInvoice","request replay"],
  ["search box request every keystroke","results flicker","too many api calls","debounce","useDebouncedValue","AbortController","cancel stale request","out of order responses","race condition","typeahead autocomplete","/api/search","react search input"],
  ["google login fails","sign in with google","oauth callback","redirect_uri_mismatch","fails after session cookie expires","re-login","http instead of https","trust proxy","reverse proxy","req.hostname","OAUTH_CALLBACK_URL","express behind load balancer"],
  ["cron job runs twice","duplicate scheduled job","daylight saving time","DST change","clocks change","Europe/Paris","scheduler timezone","run in UTC","advisory lock","export_reports","report export","duplicate execution"],
  ["migration hangs","stuck migration in CI","add index","CREATE INDEX CONCURRENTLY","ShareLock","canceling statement due to lock timeout","lock wait","postgres table lock","disable_ddl_transaction","long running transaction","seed script","payments table"],
  ["images rotated sideways","photo orientation wrong","iphone upload rotated","EXIF orientation","Orientation: 6","HEIC","sharp rotate","sharp().rotate()","thumbnail generation","image resize","regenerate thumbnails","gallery"],
  ["rate limit blocks office","shared public ip","NAT","429 Too Many Requests","rate limiter key","throttling per user","req.ip","authenticated user id","anonymous requests","100/min limit","too many requests whole team"],
  ["s3 upload times out","large file upload","files over 5 GB","EntityTooLarge","Your proposed upload exceeds the maximum allowed size","put_object limit","multipart upload","upload_file","TransferConfig","multipart_threshold","boto3","max_concurrency"],
];
