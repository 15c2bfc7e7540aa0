import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendPrivate, closeAppendFiles } from '../../src/store/documents-dir.js';
import { tempDir } from '../support/recording.js';

describe('appending to a session file', () => {
  it('makes the folder, private, on the first append', () => {
    const file = path.join(tempDir(), 'a', 'user_actions.jsonl');
    appendPrivate(file, 'one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('one\n');
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('makes the folder again when it was removed since the last append, losing nothing', () => {
    const file = path.join(tempDir(), 'b', 'agent_actions.jsonl');
    appendPrivate(file, 'one\n');
    fs.rmSync(path.dirname(file), { recursive: true });
    appendPrivate(file, 'two\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('two\n');
  });

  it('keeps every line in order across more files than it keeps open at once', () => {
    const root = tempDir();
    const files = Array.from({ length: 100 }, (_, i) => path.join(root, `s${i}`, 'user_actions.jsonl'));
    for (let round = 0; round < 3; round++) for (const file of files) appendPrivate(file, `${round}\n`);
    for (const file of files) expect(fs.readFileSync(file, 'utf8')).toBe('0\n1\n2\n');
  });

  it('appends to the file that replaced the one it had open, and again after the files are closed', () => {
    const file = path.join(tempDir(), 'c', 'user_actions.jsonl');
    appendPrivate(file, 'one\n');
    fs.rmSync(file);
    fs.writeFileSync(file, 'new\n');
    appendPrivate(file, 'two\n');
    closeAppendFiles();
    appendPrivate(file, 'three\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new\ntwo\nthree\n');
  });
});
