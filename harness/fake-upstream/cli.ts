// Runs the fake upstream on its own, e.g. to point a real Codex at kx by hand:
//   npx tsx harness/fake-upstream/cli.ts --port 9100 [--compress [zstd,br,gzip,deflate]]
//   KX_UPSTREAM_BASE_URL=http://127.0.0.1:9100/v1 KX_CHATGPT_BASE_URL=http://127.0.0.1:9100/backend-api/codex npm start

import type { FakeEncoding } from './compression.js';
import { startFakeUpstream } from './server.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const offer = arg('--compress');
const compress = !process.argv.includes('--compress') ? false : offer && !offer.startsWith('--') ? (offer.split(',') as FakeEncoding[]) : true;
const fake = await startFakeUpstream({ port: Number(arg('--port') ?? 0), compression: compress });
fake.setRecording(false);
const events = arg('--events');
if (events) fake.setStreamShape({ events: Number(events), eventBytes: Number(arg('--event-bytes') ?? 64), paceMs: Number(arg('--pace-ms') ?? 0) });
// The first line is machine-readable so a parent process can find the port.
console.log(JSON.stringify({ baseUrl: fake.baseUrl, port: fake.port }));
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
