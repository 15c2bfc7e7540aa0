// docs/architecture.md is the map: its stage table is the import order of the code. Every file of
// src/, harness/, ui/src/, bench/ and scripts/ belongs to a row and imports only from its row and those above.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles, stageTable, stageViolations } from '../support/stage-table.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TABLE = stageTable(fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8'));
const FILES = sourceFiles(ROOT, ['src', 'harness', 'ui/src', 'bench', 'scripts']);

describe('the architecture map', () => {
  it('lists every folder and file of src/ in its stage table', () => {
    const listed = TABLE.flatMap((r) => r.names);
    const entries = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    expect(entries.filter((e) => !listed.includes(e))).toEqual([]);
    for (const name of ['mcp/', 'contracts/', 'harness/', 'bench/', 'ui/']) expect(listed).toContain(name);
  });

  it('has no import that runs up the stage table, or that a row’s "never" forbids', () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(stageViolations(ROOT, TABLE, FILES)).toEqual([]);
  });

  it('catches an import up the table: with protocol/ moved below capture/, capture’s imports of it break the map', () => {
    const swapped = [...TABLE];
    const protocol = swapped.findIndex((r) => r.names.includes('protocol/'));
    const capture = swapped.findIndex((r) => r.names.includes('capture/'));
    const [row] = swapped.splice(protocol, 1);
    swapped.splice(capture, 0, row!);
    expect(stageViolations(ROOT, swapped, FILES).some((v) => /^src\/capture\/.* -> src\/protocol\/.*runs up the table/.test(v))).toBe(true);
  });

  it('catches an import a "never" forbids, and a folder no row names', () => {
    const strict = TABLE.map((r) => (r.names.includes('capture/') ? { ...r, never: 'reads the store' } : r));
    expect(stageViolations(ROOT, strict, FILES).some((v) => /^src\/capture\/.* -> src\/store\//.test(v))).toBe(true);
    const noMcp = TABLE.filter((r) => !r.names.includes('mcp/'));
    expect(stageViolations(ROOT, noMcp, FILES)).toContain('src/mcp/memory.ts: in no row of the table');
  });
});
