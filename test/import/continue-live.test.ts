// An imported session continued through kx: Codex resends the whole history with the thread id as
// session-id, and kx must see it as the history it already has, adding only the new turn.

import { afterEach, describe, expect, it } from 'vitest';
import { importCodexRollouts } from '../../src/import/codex-import.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { tempDir } from '../support/recording.js';
import { ROLLOUT_DIR, ROLLOUT_THREAD_ID, rolloutHistory, rolloutLines, writeRollout } from '../support/rollouts.js';
import { rawRequest } from '../../harness/drivers/http-client.js';

const NEW_TURN_ID = '01a20eec-4000-7000-8000-000000000001';

const newHumanMessage = {
  type: 'message',
  id: 'msg_01a20eec-4000-7000-8000-000000000002',
  role: 'user',
  content: [{ type: 'input_text', text: 'and now through kx?' }],
};

/** Codex's next HTTP request in this thread: every item so far, then the new message. */
function continueThroughKx(h: Harness, history: Record<string, unknown>[]) {
  const body = {
    model: 'gpt-6.1-sol',
    stream: true,
    input: [...history, newHumanMessage],
    prompt_cache_key: ROLLOUT_THREAD_ID,
    client_metadata: { session_id: ROLLOUT_THREAD_ID, thread_id: ROLLOUT_THREAD_ID, turn_id: NEW_TURN_ID },
  };
  return rawRequest(`${h.proxyBase}/responses`, {
    headers: { 'content-type': 'application/json', originator: 'codex_exec', 'session-id': ROLLOUT_THREAD_ID, 'thread-id': ROLLOUT_THREAD_ID },
    body: JSON.stringify(body),
  });
}

/** A custom provider sends the same items without Codex's provenance metadata (docs/protocol.md §1.2). */
const withoutProvenance = (items: Record<string, unknown>[]) =>
  items.map(({ internal_chat_message_metadata_passthrough: _meta, ...rest }) => rest);

describe('a Codex session imported, then continued through kx', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function importedHarness(): Promise<Harness> {
    const documentsDir = tempDir('kx-docs-');
    await importCodexRollouts({ paths: [ROLLOUT_DIR], documentsDir, queueInsights: false });
    return startHarness({ documentsDir });
  }

  for (const [variant, history] of [
    ['with provenance metadata', rolloutHistory()],
    ['without provenance metadata', withoutProvenance(rolloutHistory())],
  ] as const) {
    it(`joins the imported history and adds only the new turn (${variant})`, async () => {
      h = await importedHarness();
      const res = await continueThroughKx(h, history);
      expect(res.status).toBe(200);
      await h.kx.settle();
      const sessions = h.kx.reader.listSessions(10);
      expect(sessions.map((s) => s.id)).toEqual([ROLLOUT_THREAD_ID]);
      const s = h.kx.reader.getSession(ROLLOUT_THREAD_ID)!;
      expect(s.turns.map((t) => [t.seq, t.items[0]?.text])).toEqual([
        [1, 'what is in notes.txt?'],
        [2, 'anything else?'],
        [3, 'and now through kx?'],
      ]);
      expect(s.turns[2]!.items.map((i) => i.kind)).toEqual(['human_message', 'assistant_message']);
      const all = [...s.preamble, ...s.turns.flatMap((t) => t.items)];
      expect(all).toHaveLength(12 + 2);
      expect(new Set(all.map((i) => i.protocolId)).size).toBe(all.length);
      const live = s.requests.filter((r) => r.transport === 'http');
      expect(live.map((r) => [r.newItems, r.skippedItems])).toEqual([[1, history.length]]);
    });
  }

  it('adds nothing when the rollout, grown by the live turn, is imported again', async () => {
    h = await importedHarness();
    const res = await continueThroughKx(h, rolloutHistory());
    await h.kx.settle();
    // What Codex writes to its rollout for that turn: the human message, then the model's output items.
    const completed = JSON.parse(res.events.find((e) => e.type === 'response.completed')!.data) as { response: { output: Record<string, unknown>[] } };
    const at = '2026-11-24T19:00:00.000Z';
    const grown = writeRollout([
      ...rolloutLines(),
      { timestamp: at, type: 'turn_context', payload: { turn_id: NEW_TURN_ID, cwd: '/home/dev/demo-project', model: 'gpt-6.1-sol' } },
      ...[newHumanMessage, ...completed.response.output].map((payload) => ({ timestamp: at, type: 'response_item', payload })),
    ]);
    const before = h.kx.reader.getSession(ROLLOUT_THREAD_ID)!;
    const again = await importCodexRollouts({ paths: [grown], store: h.kx.store, queueInsights: false });
    expect(again).toMatchObject({ itemsRead: 12 + 1 + completed.response.output.length, itemsAdded: 0, turnsAdded: 0, sessionsUnchanged: 1 });
    expect(h.kx.reader.getSession(ROLLOUT_THREAD_ID)!.requests).toHaveLength(before.requests.length);
  });
});
