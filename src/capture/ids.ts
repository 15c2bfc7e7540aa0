// Time-ordered ids (sortable by creation), with a kind prefix so a stray id says what it names.

import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes drawn in blocks: one system call per 800 ids instead of one per id (capture makes
// several ids per request, on the forwarding thread).
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

export function newId(prefix: 's' | 't' | 'r' | 'i' | 'j' | 'g' | 'a'): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `${prefix}_${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${randomHex(5)}`;
}
