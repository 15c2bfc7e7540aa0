// Runs the fake upstream on its own, e.g. to point a real Codex at kx by hand:
//   npx tsx src/fake-upstream/cli.ts --port 9100
//   KX_UPSTREAM_BASE_URL=http://127.0.0.1:9100/v1 KX_CHATGPT_BASE_URL=http://127.0.0.1:9100/backend-api/codex npm start
// --compress br,gzip,deflate compresses every HTTP answer with the first encoding the client accepts.

import type { FakeEncoding } from './compress.js';
import { startFakeUpstream } from './server.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const fake = await startFakeUpstream({ port: Number(arg('--port') ?? 0) });
fake.setRecording(false);
const events = arg('--events');
if (events) fake.setStreamShape({ events: Number(events), eventBytes: Number(arg('--event-bytes') ?? 64), paceMs: Number(arg('--pace-ms') ?? 0) });
const compress = arg('--compress');
if (compress) fake.compressAnswers(compress.split(',') as FakeEncoding[]);
// The first line is machine-readable so a parent process can find the port.
console.log(JSON.stringify({ baseUrl: fake.baseUrl, port: fake.port }));
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
