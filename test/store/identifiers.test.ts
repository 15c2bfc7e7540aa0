// Identifiers as people and agents write them: a query in one spelling finds the session that wrote another.

import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/store/search-index.js';
import { identifierWords } from '../../src/store/identifiers.js';
import { seedSessions } from '../../harness/drivers/seed-sessions.js';
import { openRecording, type Recording } from '../support/recording.js';

describe('identifier handling', () => {
  let r: Recording;
  afterEach(() => r?.close());

  function indexed(humans: string[]): SearchIndex {
    r = openRecording();
    seedSessions(r.store.db, { sessions: humans.length, turnsPerSession: 1, humanText: (s) => humans[s]! });
    const index = new SearchIndex(r.store.db);
    index.catchUp();
    return index;
  }
  const found = (index: SearchIndex, q: string) => index.retrieval.sessions(q, { limit: 5 }).map((h) => h.sessionId);

  it('splits camelCase, PascalCase, snake_case and dotted names, and joins the parts of each', () => {
    expect(identifierWords('call refreshAccessToken() then read import.meta.env and invalid_grant').split(' ').sort()).toEqual(
      ['access', 'env', 'grant', 'import', 'importmetaenv', 'invalid', 'invalidgrant', 'meta', 'refresh', 'token'].sort(),
    );
    expect(identifierWords('StripeSignatureVerificationError HTTPServer OOMKilled')).toContain('verification');
    expect(identifierWords('plain words only, nothing to split')).toBe('');
  });

  it('a camelCase query finds the session that wrote the snake_case identifier', () => {
    const index = indexed(['error: invalid_grant from the token endpoint', 'the grant form is invalid']);
    expect(found(index, 'invalidGrant')).toEqual(['seed-000000']);
  });

  it('a snake_case query finds the session that wrote the camelCase identifier', () => {
    const index = indexed(['refreshAccessToken throws when two tabs call it', 'a footer for the page']);
    expect(found(index, 'refresh_access_token')).toEqual(['seed-000000']);
  });

  it('one part of an identifier finds the session that wrote the whole of it', () => {
    const index = indexed(['StripeSignatureVerificationError in production', 'a footer for the page']);
    expect(found(index, 'stripe verification')).toEqual(['seed-000000']);
  });
});
