// An import while kx runs: what it adds is searchable at once, without a restart of kx.

import { afterEach, describe, expect, it } from 'vitest';
import { importCodexRollouts } from '../../src/import/codex-import.js';
import { SearchIndex } from '../../src/store/search-index.js';
import { SessionStore } from '../../src/store/session-store.js';
import { tempDir } from '../support/recording.js';
import { ROLLOUT_DIR, ROLLOUT_THREAD_ID, rolloutLines } from '../support/rollouts.js';

describe('imported sessions in search', () => {
  let running: SessionStore | undefined;
  afterEach(() => running?.close());

  it('finds an imported session from the running kx\'s connection as soon as the import returns', async () => {
    const dir = tempDir();
    running = new SessionStore({ documentsDir: dir });
    const search = new SearchIndex(running.db);
    search.catchUp();
    await importCodexRollouts({ paths: [ROLLOUT_DIR], documentsDir: dir, queueInsights: false });
    const human = rolloutLines().map((l) => JSON.stringify(l)).join('\n');
    const word = /"type":"input_text","text":"([A-Za-z]{5,})/.exec(human)?.[1] ?? 'hello';
    expect(search.search(word, { limit: 20 }).map((h) => h.sessionId)).toContain(ROLLOUT_THREAD_ID);
  });
});
