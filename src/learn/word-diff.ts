// The word-level difference between the human's message and its rewrite, with the `diff` package.

import { diffWords } from 'diff';
import type { DiffOp } from '../contracts/learn.js';


export function wordDiff(before: string, after: string): DiffOp[] {
  return diffWords(before, after).map((c) => ({ op: c.added ? 'add' : c.removed ? 'del' : 'same', text: c.value }));
}
