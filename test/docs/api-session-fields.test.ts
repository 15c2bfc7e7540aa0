// docs/api.md describes what GET /api/sessions and GET /api/sessions/:id send. Every field a running kx
// sends there, at the top and in each turn and request, must be named on the page.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/kx-harness.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const API_MD = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');

/** The field names in code spans of the bullet that starts with `start`, up to the next top-level bullet. */
function namedIn(markdown: string, start: string): Set<string> {
  const lines = markdown.split('\n');
  const first = lines.findIndex((l) => l.startsWith(start));
  if (first < 0) throw new Error(`no bullet ${start}`);
  const end = lines.findIndex((l, i) => i > first && /^(- |#)/.test(l));
  const block = lines.slice(first, end < 0 ? undefined : end).join('\n');
  return new Set([...block.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]!));
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
