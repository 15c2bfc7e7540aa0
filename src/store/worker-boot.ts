// Starting a worker thread on a module of kx, compiled (.js) or from source (.ts): the worker needs tsx's
// loader registered in itself, since hooks registered on one thread do not reach another. tsx's ESM entry
// is found from its package (the `require` condition's entry cannot be imported in a worker).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the worker looks tsx up from: kx's own folder. */
const lookupFrom = path.dirname(fileURLToPath(import.meta.url));

/** The `eval` source of a worker that imports `workerData.entry`. */
export function workerBoot(): string {
  return `
const { workerData } = require('node:worker_threads');
(async () => {
  // Looked up only for a TypeScript entry: compiled, kx runs without tsx installed.
  if (workerData.entry.endsWith('.ts')) {
    const pkg = require.resolve('tsx/package.json', { paths: [${JSON.stringify(lookupFrom)}] });
    (await import(require('node:url').pathToFileURL(require('node:path').join(pkg, '..', 'dist/esm/api/index.mjs')).href)).register();
  }
  await import(require('node:url').pathToFileURL(workerData.entry).href);
})().catch((err) => { console.error(err); process.exit(1); });
`;
}

/** A sibling module of `fromUrl` (import.meta.url), with the caller's own extension (.ts from source, .js compiled). */
export function siblingEntry(fromUrl: string, name: string): string {
  const here = new URL(fromUrl).pathname;
  return path.join(path.dirname(here), `${name}${path.extname(here)}`);
}
