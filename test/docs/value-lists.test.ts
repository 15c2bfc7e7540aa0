// docs/storage.md and docs/api.md list the values a column or a live event can take. Where the code
// has that set as a value (a zod enum, the live-event union) or as a type this file lists whole (the
// compiler checks it), the page must name exactly the same set.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobState } from '../../src/contracts/insight.js';
import { approvalStatus, modeScope } from '../../src/contracts/learn.js';
import { liveEvent, turnStatus } from '../../src/contracts/live-events.js';
import type { ItemKind } from '../../src/protocol/items.js';
import type { Outcome } from '../../src/store/records.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const page = (name: string): string => fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');

// Each list names its whole union: a member added to the type and not here fails `npm run typecheck`.
type Whole<Missing extends never> = Missing;
const ITEM_KINDS = ['human_message', 'injected_context', 'instructions', 'assistant_message', 'reasoning', 'tool_call', 'tool_output', 'compaction', 'other'] as const satisfies readonly ItemKind[];
const OUTCOMES = ['completed', 'failed', 'incomplete', 'error', 'cut', 'aborted', 'interrupted', 'in_progress', 'undecodable'] as const satisfies readonly Outcome[];
type ListsAreWhole = [Whole<Exclude<ItemKind, (typeof ITEM_KINDS)[number]>>, Whole<Exclude<Outcome, (typeof OUTCOMES)[number]>>];
/** A parser's status that capture stores as `cut` (src/capture/session-tracker.ts, finishRequest): never in the table. */
const NEVER_STORED: readonly Outcome[] = ['in_progress'];

/**
 * The values storage.md gives for `field` under the table `table(…)`: the first code span after
 * "`field`:" (or "`field` is") on the first such line below the table's, split at `|` or `,`.
 */
function fieldValues(markdown: string, table: string, field: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.includes(`\`${table}(`));
  if (start < 0) throw new Error(`no table ${table} on the page`);
  for (const line of lines.slice(start)) {
    const at = [`\`${field}\`: \``, `\`${field}\` is \``].map((m) => line.indexOf(m)).find((i) => i >= 0);
    if (at === undefined) continue;
    const span = /`([^`]*)`/.exec(line.slice(line.indexOf('`', at + field.length + 2)))?.[1] ?? '';
    return span.split(/\s*[|,]\s*/).filter(Boolean);
  }
  throw new Error(`no \`${field}\` under ${table}`);
}

/** The first cell of each row of the table under `heading`, code span marks removed. */
function tableKeys(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const cell = /^\| `([^`]+)` \|/.exec(line)?.[1];
    if (cell) rows.push(cell);
  }
  return rows;
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('the value lists in the docs match the code', () => {
  const storage = page('storage.md');

  it('storage.md names every request outcome kx stores, and no other', () => {
    expect(sorted(fieldValues(storage, 'requests', 'outcome'))).toEqual(sorted(OUTCOMES.filter((o) => !NEVER_STORED.includes(o))));
  });

  it('storage.md names every item kind', () => {
    expect(sorted(fieldValues(storage, 'items', 'kind'))).toEqual(sorted(ITEM_KINDS));
  });

  it('storage.md names every turn status, insight job state, approval decision and mode scope', () => {
    expect(sorted(fieldValues(storage, 'turns', 'status'))).toEqual(sorted(turnStatus.options));
    expect(sorted(fieldValues(storage, 'insight_jobs', 'state'))).toEqual(sorted(jobState.options));
    expect(sorted(fieldValues(storage, 'approvals', 'decision'))).toEqual(sorted(approvalStatus.options));
    expect(sorted(fieldValues(storage, 'learn_modes', 'scope'))).toEqual(sorted(modeScope.options));
  });

  it('api.md’s live-events table lists every event kx streams, and no other', () => {
    const types = liveEvent.options.map((o) => o.shape.type.value);
    expect(sorted(tableKeys(page('api.md'), '## Live events'))).toEqual(sorted(types));
  });

  it('reads a list in either form, and a table’s rows up to the next heading', () => {
    const md = ['- `things(a, b)`', '  - `a`: `x | y`; `b`: `p, q`.', '- `modes(s)`: `s` is `one | two`.', '## T', '| k | v |', '|---|---|', '| `e1` | when |', '| `e2` | when |', '## Next', '| `e3` | no |'].join('\n');
    expect(fieldValues(md, 'things', 'a')).toEqual(['x', 'y']);
    expect(fieldValues(md, 'things', 'b')).toEqual(['p', 'q']);
    expect(fieldValues(md, 'modes', 's')).toEqual(['one', 'two']);
    expect(tableKeys(md, '## T')).toEqual(['e1', 'e2']);
  });
});
