// docs/api.md describes what GET /api/sessions and GET /api/sessions/:id send. Every field a running kx
// sends there, at the top and in each turn and request, must be named on the page; so must every field of
// GET /api/search's answer and hits (its contract, src/contracts/console.ts), its docKind values and weights.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchDocKind, searchHitView, searchResponseView } from '../../src/contracts/console.js';
import { FIELD_WEIGHTS } from '../../src/store/retrieval.js';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const API_MD = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');

/** The lines of the bullet that starts with `start`, up to the next top-level bullet or heading. */
function bullet(markdown: string, start: string): string[] {
  const lines = markdown.split('\n');
  const first = lines.findIndex((l) => l.startsWith(start));
  if (first < 0) throw new Error(`no bullet ${start}`);
  const end = lines.findIndex((l, i) => i > first && /^(- |#)/.test(l));
  return lines.slice(first, end < 0 ? undefined : end);
}

/** The text of the sub-bullet of `lines` that starts with `start`, its continuation lines joined on one line. */
function subBullet(lines: readonly string[], start: string): string {
  const first = lines.findIndex((l) => l.startsWith(`  - ${start}`));
  if (first < 0) throw new Error(`no sub-bullet ${start}`);
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('    '));
  return lines.slice(first, end < 0 ? undefined : end).join(' ').replace(/\s+/g, ' ');
}

/** "`a`, `b` and `c` 1, `d` 0.5": each code-span name with the number its group ends with. */
function weightsIn(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/((?:`[a-z_]+`(?:, | and )?)+) (\d+(?:\.\d+)?)\b/g)) {
    for (const name of m[1]!.matchAll(/`([a-z_]+)`/g)) out[name[1]!] = Number(m[2]);
  }
  return out;
}

/** The field names in code spans of the bullet that starts with `start`, up to the next top-level bullet. */
function namedIn(markdown: string, start: string): Set<string> {
  return new Set([...bullet(markdown, start).join('\n').matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]!));
}

const keys = (o: unknown): string[] => Object.keys(o as object).sort();
const unnamed = (fields: string[], named: Set<string>): string[] => fields.filter((f) => !named.has(f));

describe('the session routes as api.md describes them', () => {
  let h: Harness;
  let session: Record<string, unknown> & { turns: Record<string, unknown>[]; requests: Record<string, unknown>[] };
  let listed: Record<string, unknown>;

  beforeAll(async () => {
    h = await startHarness();
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const res = await fetch(`${h.proxyBase}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'session-id': 'docs-fields', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'gpt-5', input: 'hello' }),
    });
    await res.text();
    await h.kx.settle();
    session = (await (await fetch(`${h.kx.url}/api/sessions/docs-fields`, { headers: auth })).json()) as typeof session;
    listed = ((await (await fetch(`${h.kx.url}/api/sessions`, { headers: auth })).json()) as { sessions: Record<string, unknown>[] }).sessions[0]!;
  });
  afterAll(async () => h?.close());

  it('names every field of GET /api/sessions/:id, of its turns and of its requests', () => {
    const named = namedIn(API_MD, '- `GET /api/sessions/:id` →');
    expect(session.turns).toHaveLength(1);
    expect(session.requests).toHaveLength(1);
    expect(unnamed(keys(session), named)).toEqual([]);
    expect(unnamed(keys(session.turns[0]).filter((k) => k !== 'items'), named)).toEqual([]);
    expect(unnamed(keys(session.requests[0]), named)).toEqual([]);
  });

  it('names every field of a session in GET /api/sessions', () => {
    expect(unnamed(keys(listed), namedIn(API_MD, '- `GET /api/sessions` →'))).toEqual([]);
  });

  it('reads the names of one bullet only, up to the next', () => {
    const md = ['- `GET /a` → `one`, `two`', '  - `three` (`not a name`)', '- `GET /b` → `four`'].join('\n');
    expect([...namedIn(md, '- `GET /a` →')].sort()).toEqual(['one', 'three', 'two']);
  });
});

describe('the search route as api.md describes it', () => {
  const SEARCH = '- `GET /api/search?';
  const spans = (text: string): string[] => [...text.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);

  it('names every field of the answer and of each hit, as the contract has them', () => {
    const named = namedIn(API_MD, SEARCH);
    expect(unnamed(keys(searchResponseView.shape), named)).toEqual([]);
    expect(unnamed(keys(searchHitView.shape), named)).toEqual([]);
  });

  it('lists every docKind a hit can have, and no other', () => {
    const listed = spans(subBullet(bullet(API_MD, SEARCH), '`docKind`')).filter((k) => k !== 'docKind');
    expect([...new Set(listed)].sort()).toEqual([...searchDocKind.options].sort());
  });

  it('gives the weight retrieval.ts gives a match in each docKind', () => {
    expect(weightsIn(subBullet(bullet(API_MD, SEARCH), 'Ranking'))).toEqual(FIELD_WEIGHTS);
  });

  it('reads a sub-bullet whole, and weights by the group each name is in', () => {
    const md = ['- `GET /a?` → x', '  - `k`: `one`,', '    `two` and `three`', '  - next `four`', '- `GET /b`'];
    expect(subBullet(bullet(md.join('\n'), '- `GET /a?`'), '`k`')).toBe(' - `k`: `one`, `two` and `three`');
    expect(weightsIn('weighs `a`, `b` and `c` 1, `d` 0.5; not `e`')).toEqual({ a: 1, b: 1, c: 1, d: 0.5 });
  });
});
