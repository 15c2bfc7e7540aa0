// prompts/rewrite.md, read once at start: the instructions of the rewrite call.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROMPT_FILE = fileURLToPath(new URL('../../prompts/rewrite.md', import.meta.url));

export function loadRewritePrompt(): string {
  return fs.readFileSync(PROMPT_FILE, 'utf8');
}
