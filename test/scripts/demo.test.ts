// npm run demo: what it prints is a new user's first look at kx, so it must be true. It is run here
// as a person runs it, into a folder of the test's own (twice: a second run finds the first's sessions).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/drivers/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function runDemo(documents: string): string {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KX_')));
  const run = spawnSync(tsx, ['scripts/demo.ts', '--documents', documents], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** The lines of one section: from its heading to the next blank line. */
function section(out: string, heading: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.indexOf('');
  return end < 0 ? rest : rest.slice(0, end);
}

/** A session's line under "Recorded sessions:" (its items are indented further). */
const sessionLine = /^ {2}(\S+) {2}.* (\d+) (turns?), (\d+) (requests?), /;

describe('npm run demo', () => {
  let documents: string;
  let first: string;
  let second: string;
  /** The session folders the first run left. */
  let folders: string[];

  beforeAll(() => {
    documents = tempDir('kx-demo-');
    first = runDemo(documents);
    folders = fs.readdirSync(documents, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'projects').map((e) => e.name);
    second = runDemo(documents);
  }, 120_000);

  it('writes into the folder given with --documents and names it in the commands it suggests', () => {
    expect(fs.existsSync(path.join(documents, 'sessions.db'))).toBe(true);
    expect(first).toContain(`npm start -- --documents ${path.relative(ROOT, documents)}`);
    expect(first).toContain(`npx kx sessions --documents ${path.relative(ROOT, documents)}`);
  });

  it('says "1 turn" and "2 turns": the noun agrees with the count', () => {
    const counts = section(first, 'Recorded sessions:').flatMap((l) => {
      const m = sessionLine.exec(l);
      return m ? [[Number(m[2]), m[3], Number(m[4]), m[5]] as const] : [];
    });
    expect(counts.map(([n]) => n).sort()).toEqual([1, 1, 2]);
    for (const [turns, turnWord, requests, requestWord] of counts) {
      expect(turnWord).toBe(turns === 1 ? 'turn' : 'turns');
      expect(requestWord).toBe(requests === 1 ? 'request' : 'requests');
    }
  });

  it('lists the files of every session it recorded, the Chat Completions session too, and only files that exist', () => {
    const listed = section(first, 'Artifacts:').map((l) => l.trim());
    for (const f of listed) expect(fs.existsSync(f), f).toBe(true);
    expect(folders.length).toBe(3);
    expect(folders.some((f) => f.includes('what-is-the-weather'))).toBe(true);
    for (const folder of folders) {
      for (const file of ['user_actions.jsonl', 'agent_actions.jsonl']) expect(listed).toContain(path.join(documents, folder, file));
    }
    expect(listed).toContain(path.join(documents, 'sessions.db'));
  });

  it('shows only the sessions of its own run when the folder holds an earlier run’s', () => {
    const ids = (out: string) => section(out, 'Recorded sessions:').flatMap((l) => sessionLine.exec(l)?.[1] ?? []);
    expect(ids(second)).toHaveLength(3);
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
    // A folder ends with its session's id (the second run's weather session is `fp-…-1` beside the first's `fp-…`).
    expect(section(second, 'Artifacts:').filter((l) => ids(first).some((id) => l.includes(`_${id}${path.sep}`)))).toEqual([]);
  });
});
