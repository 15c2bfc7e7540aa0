// The rollout line reader: every line whole, wherever the file's chunks happen to split it.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineBatches } from '../../src/import/line-reader.js';
import { tempDir } from '../support/recording.js';

async function linesOf(text: string): Promise<string[]> {
  const file = path.join(tempDir(), 'lines.jsonl');
  fs.writeFileSync(file, text);
  const out: string[] = [];
  for await (const batch of lineBatches(file)) out.push(...batch.map((b) => b.toString('utf8')));
  return out;
}

describe('rollout line reader', () => {
  it('returns each line once, without its newline', async () => {
    expect(await linesOf('a\nbb\n\nccc\n')).toEqual(['a', 'bb', '', 'ccc']);
  });

  it('keeps a last line that has no newline', async () => {
    expect(await linesOf('a\nlast')).toEqual(['a', 'last']);
  });

  it('drops the carriage return of CRLF lines', async () => {
    expect(await linesOf('a\r\nb\r\n')).toEqual(['a', 'b']);
  });

  it('joins a line longer than several read chunks, multi-byte characters included', async () => {
    const long = 'é'.repeat(400_000) + 'x';
    expect(await linesOf(`short\n${long}\nafter\n`)).toEqual(['short', long, 'after']);
  });
});
