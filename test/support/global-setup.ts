// Before any test: the test tools (agent CLIs, Chromium) must be installed, and the console's build and the
// compiled JavaScript current (browser tests load the one, every kx a test spawns runs the other), so
// `npm install && npm test` works on a fresh machine, even where the prepare script did not run.

import { ensureTestTools } from '../../harness/drivers/test-tools.js';
import { ensureJsBuilt } from '../../scripts/js-build.js';
import { ensureUiBuilt } from '../../scripts/ui-build.js';

export default function setup(): void {
  ensureTestTools();
  ensureUiBuilt();
  ensureJsBuilt();
}
