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

describe('rollout line reader: long lines', () => {
  async function read(text: string, opts: { maxLineBytes?: number; chunkBytes?: number }): Promise<{ lines: string[]; oversized: number[] }> {
    const file = path.join(tempDir(), 'lines.jsonl');
    fs.writeFileSync(file, text);
    const lines: string[] = [];
    const oversized: number[] = [];
    for await (const batch of lineBatches(file, { ...opts, onOversized: (n) => oversized.push(n) })) lines.push(...batch.map((b) => b.toString('utf8')));
    return { lines, oversized };
  }

  it('skips and reports a line over the cap, whether it spans chunks or not, and keeps the lines around it', async () => {
    const big = 'x'.repeat(5000);
    for (const chunkBytes of [64, 1024, 65536]) {
      const r = await read(`a\n${big}\nb\r\n${big}`, { maxLineBytes: 4096, chunkBytes });
      expect(r.lines).toEqual(['a', 'b']);
      expect(r.oversized).toEqual([5000, 5000]);
    }
  });

  it('keeps a line of exactly the cap', async () => {
    const r = await read(`${'y'.repeat(4096)}\nz\n`, { maxLineBytes: 4096, chunkBytes: 100 });
    expect(r.lines.map((l) => l.length)).toEqual([4096, 1]);
    expect(r.oversized).toEqual([]);
  });

  it('reads a line spanning many chunks in time linear in its length', async () => {
    const time = async (mb: number): Promise<number> => {
      const file = path.join(tempDir(), `long-${mb}.jsonl`);
      fs.writeFileSync(file, Buffer.alloc(mb * 1024 * 1024, 0x61));
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        for await (const batch of lineBatches(file, { chunkBytes: 16 * 1024 })) expect(batch[0]!.length).toBe(mb * 1024 * 1024);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    const small = await time(2);
    const large = await time(16);
    // Linear: about 8×; joining the carry with every chunk made it about 64×.
    expect(large / Math.max(small, 1)).toBeLessThan(24);
  }, 60_000);
});
