// Before any test: the console's build and the compiled JavaScript must be current (browser tests load the
// one, every kx a test spawns runs the other), so `npm install && npm test` works
// even where the prepare script did not run.

import { ensureJsBuilt } from '../../scripts/js-build.js';
import { ensureUiBuilt } from '../../scripts/ui-build.js';

export default function setup(): void {
  ensureUiBuilt();
  ensureJsBuilt();
}
