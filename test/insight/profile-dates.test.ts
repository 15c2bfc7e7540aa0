// profile.md (and `kx notes`, which prints it) says when each of the last sessions happened, not when kx wrote
// its summary: every session imported in one go has a summary written the same minute.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InsightReader } from '../../src/insight/insight-reader.js';
import { projectProfile } from '../../src/insight/pages.js';
import { migrate } from '../../src/store/schema.js';

const IMPORTED_AT = '2026-12-06T02:40:00.000Z';

function importedProject(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('shop', '/home/dev/shop', ?)`).run(IMPORTED_AT);
  const runs = [
    { id: 'old', start: '2025-03-01T09:00:00.000Z', last: '2025-03-01T10:15:00.000Z', title: 'Refresh-token logouts' },
    { id: 'new', start: '2025-06-10T14:00:00.000Z', last: '2025-06-11T08:30:00.000Z', title: 'OOMKilled export job' },
  ];
  for (const r of runs) {
    db.prepare(`INSERT INTO sessions (id, client, identified_by, started_at, project) VALUES (?, 'codex', 'header', ?, 'shop')`).run(r.id, r.start);
    db.prepare(`INSERT INTO requests (id, session_id, transport, api, method, path, started_at) VALUES (?, ?, 'http', 'responses', 'POST', '/v1/responses', ?)`).run(`r_${r.id}`, r.id, r.last);
    const summary = { title: r.title, highlights: [], gapsOpened: [], gapsResolved: [], unresolvedQuestions: [], nextRepetitions: [], playbook: [] };
    // The older session's summary was written last: the import summarised them in no particular order.
    const written = r.id === 'old' ? '2026-12-06T02:41:00.000Z' : IMPORTED_AT;
    db.prepare(`INSERT INTO session_summaries (session_id, version, data, job_id, input_tokens, output_tokens, created_at) VALUES (?, 1, ?, 'j', 1, 1, ?)`).run(r.id, JSON.stringify(summary), written);
  }
  return db;
}

describe('profile.md dates', () => {
  it('says when each of the last sessions ran, and labels the time its summary was written as that', () => {
    const md = projectProfile(new InsightReader(importedProject()), 'shop')!.markdown;
    expect(md).toContain('Session `new`, ran 2025-06-10 14:00 UTC – 2025-06-11 08:30 UTC; summary version 1 written 2026-12-06 02:40 UTC.');
    expect(md).toContain('Session `old`, ran 2025-03-01 09:00–10:15 UTC; summary version 1 written 2026-12-06 02:41 UTC.');
    expect(md).not.toMatch(/summary version 1, 2026-12-06/);
  });

  it('lists the last sessions newest first by when they ran, not by when they were summarised', () => {
    const md = projectProfile(new InsightReader(importedProject()), 'shop')!.markdown;
    expect(md.indexOf('### OOMKilled export job')).toBeGreaterThan(0);
    expect(md.indexOf('### OOMKilled export job')).toBeLessThan(md.indexOf('### Refresh-token logouts'));
  });
});
