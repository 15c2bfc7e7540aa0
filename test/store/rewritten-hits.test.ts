// The console's hits for a message learn mode sent rewritten: one hit, quoting what the person typed, the
// rewrite beside it where the query matched it (src/store/rewritten-hits.ts).

import { describe, expect, it } from 'vitest';
import type { SearchHitView } from '../../src/contracts/console.js';
import { rewrittenAsTyped, TYPED_QUOTE_CHARS } from '../../src/store/rewritten-hits.js';

const hit = (docKind: SearchHitView['docKind'], refId: string, snippet: string): SearchHitView =>
  ({ docKind, refId, sessionId: 's', turnId: 't', turnSeq: 1, project: null, snippet, score: 1 });
const TYPED = 'how do I test the webhook locally on my laptop?';
const typedOf = (id: string) => (id === 'i_1' ? { typed: TYPED, edited: false } : undefined);

describe('hits of a message learn mode sent rewritten', () => {
  it('become one hit at the place of the first, quoting what was typed and, apart, what was sent', () => {
    const hits = rewrittenAsTyped([hit('assistant', 'i_0', 'a'), hit('human', 'i_1', 'sent \u0001webhook\u0002'), hit('human', 'typed:i_1', 'the \u0001webhook\u0002 locally')], typedOf);
    expect(hits.map((h) => [h.docKind, h.refId])).toEqual([['assistant', 'i_0'], ['human', 'i_1']]);
    expect(hits[1]).toMatchObject({ snippet: 'the \u0001webhook\u0002 locally', rewritten: { sent: 'sent \u0001webhook\u0002' } });
  });

  it('keeps what was typed first when it ranks first, and adds the rewrite to it', () => {
    const hits = rewrittenAsTyped([hit('human', 'typed:i_1', 'my \u0001laptop\u0002'), hit('human', 'i_1', 'sent \u0001laptop\u0002')], typedOf);
    expect(hits).toEqual([{ ...hit('human', 'i_1', 'my \u0001laptop\u0002'), rewritten: { sent: 'sent \u0001laptop\u0002' } }]);
  });

  it('quotes the start of what was typed, as stored, when only the rewrite matched', () => {
    const long = `${'word '.repeat(100)}end`;
    const [h] = rewrittenAsTyped([hit('human', 'i_2', 'sent \u0001CLI\u0002')], (id) => (id === 'i_2' ? { typed: long, edited: false } : undefined));
    expect(h!.snippet.length).toBeLessThanOrEqual(TYPED_QUOTE_CHARS);
    expect(h!.snippet.endsWith('…')).toBe(true);
    expect(long.startsWith(h!.snippet.slice(0, -1))).toBe(true);
    expect(h!.rewritten).toEqual({ sent: 'sent \u0001CLI\u0002' });
  });

  it('leaves a message sent as typed, and every other document, as they were', () => {
    const given = [hit('human', 'i_9', 'plain'), hit('insight', 'i_1', 'a note'), hit('summary', 's', 'a summary')];
    expect(rewrittenAsTyped(given, typedOf)).toEqual(given);
  });
});
