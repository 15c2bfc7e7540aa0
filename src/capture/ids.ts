// Time-ordered ids (sortable by creation), with a kind prefix so a stray id says what it names.

import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

export function newId(prefix: 's' | 't' | 'r' | 'i' | 'j' | 'g' | 'a'): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `${prefix}_${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${randomBytes(5).toString('hex')}`;
}
