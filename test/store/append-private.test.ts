import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendPrivate } from '../../src/store/documents-dir.js';
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
});
