// Builds what kx runs from when it is missing or older than its sources: the console (ui/dist) and
// the compiled JavaScript (dist/). `npm install` (prepare), `npm start` and `npm test` run it.
//   tsx scripts/build.ts            build what is stale
//   tsx scripts/build.ts --force    build both anyway

import { buildJs, ensureJsBuilt } from './js-build.js';
import { buildUi, ensureUiBuilt } from './ui-build.js';

if (process.argv.includes('--force')) {
  buildUi();
  buildJs();
} else {
  if (ensureUiBuilt()) console.log('kx: console built into ui/dist');
  ensureJsBuilt();
}
