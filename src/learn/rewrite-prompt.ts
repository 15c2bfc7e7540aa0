// prompts/rewrite.md, read and checked once at start (the header and `=== input ===` contract of
// src/insight/prompts.ts): a file that does not match what the code sends stops kx at start.

import { loadPrompt, type Prompt } from '../insight/prompts.js';
import { REWRITE_SCHEMA_NAME } from './rewrite-model.js';

export function loadRewritePrompt(dir?: string): Prompt {
  return loadPrompt('rewrite', REWRITE_SCHEMA_NAME, dir);
}
