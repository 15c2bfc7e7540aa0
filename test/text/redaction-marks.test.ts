// A `[REDACTED:api-key]` marker's kind says what redaction took out, not what anyone wrote: a search for
// "key" must not show it as a match. Snippets come from SQLite FTS5 with the index's own tokenizer.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { unmarkRedactionKinds } from '../../src/text/redaction-marks.js';
import { markedWords } from '../../src/store/identifier-passage.js';

const TEXT = 'export OPENAI_API_KEY=[REDACTED:api-key] then the key rotates; GITHUB_TOKEN=[REDACTED:github-token]';

/** FTS5's snippet for `query` over TEXT, marked with \u0001 … \u0002 as kx's search marks it. */
function ftsSnippet(query: string): string {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')`);
  db.prepare('INSERT INTO docs (text) VALUES (?)').run(TEXT);
  const s = db.prepare(`SELECT snippet(docs, 0, char(1), char(2), '…', 64) FROM docs WHERE docs MATCH ?`).pluck().get(query) as string;
  db.close();
  return s;
}

describe('match marks inside redaction markers', () => {
  it('are dropped from a marker\'s kind: "key" marks only the key someone wrote about', () => {
    const raw = ftsSnippet('key');
    expect(raw).toContain('[REDACTED:api-\u0001key\u0002]'); // what FTS5 does on its own
    const shown = unmarkRedactionKinds(raw);
    expect(shown).toContain('[REDACTED:api-key]');
    expect(shown).toContain('the \u0001key\u0002 rotates');
    expect(markedWords(shown)).toEqual(['key', 'key']); // OPENAI_API_KEY's and "the key", both written by someone
  });

  it('leave "REDACTED" itself marked, so a search for where secrets were printed shows its matches', () => {
    const shown = unmarkRedactionKinds(ftsSnippet('redacted'));
    expect(shown).toContain('[\u0001REDACTED\u0002:api-key]');
    expect(markedWords(shown)).toEqual(['redacted', 'redacted']);
  });

  it('keep a phrase that runs from a marker into what follows balanced', () => {
    const shown = unmarkRedactionKinds('a [REDACTED:github-\u0001token] now\u0002 b [\u0001REDACTED:api-key\u0002] c \u0001d [REDACTED:jwt\u0002]');
    expect(shown).toBe('a [REDACTED:github-token]\u0001 now\u0002 b [\u0001REDACTED\u0002:api-key] c \u0001d [REDACTED\u0002:jwt]');
  });

  it('leave text without markers as it is', () => {
    const s = 'the \u0001key\u0002 is [not redacted]';
    expect(unmarkRedactionKinds(s)).toBe(s);
  });
});
