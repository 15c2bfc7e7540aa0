// Before any test: the console's build must exist (browser tests load it), so `npm install && npm test` works
// even where the prepare script did not run.

import { ensureUiBuilt } from '../../scripts/ui-build.js';

export default function setup(): void {
  ensureUiBuilt();
}
