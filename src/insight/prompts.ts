// Prompt files (prompts/*.md) loaded once at start. Each opens with a header naming its schema and
// the variables it takes; the instructions above the `=== input ===` line never change between
// calls (sent first, so the provider's prompt cache can reuse them); the template below it is filled
// per call. A file that does not match what the code sends fails at start, not mid-session.

import fs from 'node:fs';
import path from 'node:path';
import { PROMPTS_DIR } from '../package-paths.js';

/** prompts/ at the package root, beside src/ (and dist/). */

export interface Prompt {
  name: string;
  schema: string;
  variables: string[];
  instructions: string;
  template: string;
}

const INPUT_MARKER = /^=== input ===$/m;

export function parsePrompt(name: string, text: string): Prompt {
  const header = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!header) throw new Error(`prompts/${name}.md must open with a --- header naming its schema and variables`);
  const schema = /^schema:\s*(\S+)/m.exec(header[1]!)?.[1];
  if (!schema) throw new Error(`prompts/${name}.md: the header has no "schema:" line`);
  const variables = [...header[1]!.matchAll(/^\s+-\s+([a-z_]+):/gm)].map((m) => m[1]!);
  const body = text.slice(header[0].length);
  const marker = INPUT_MARKER.exec(body);
  if (!marker) throw new Error(`prompts/${name}.md: no "=== input ===" line between the instructions and the input template`);
  const instructions = body.slice(0, marker.index).trim();
  const template = body.slice(marker.index + marker[0].length).trim();
  const used = new Set([...template.matchAll(/\{\{([a-z_]+)\}\}/g)].map((m) => m[1]!));
  const declared = new Set(variables);
  for (const v of used) if (!declared.has(v)) throw new Error(`prompts/${name}.md uses {{${v}}} but its header does not declare it`);
  for (const v of declared) if (!used.has(v)) throw new Error(`prompts/${name}.md declares ${v} but its template never uses it`);
  if (/\{\{/.test(instructions)) throw new Error(`prompts/${name}.md: variables belong below "=== input ===", so the instructions stay the same on every call`);
  return { name, schema, variables, instructions, template };
}

/**
 * A value as it goes inside the template's blocks: a captured `<turn>` or `</original_message>` (any
 * tag the template itself uses) cannot open or close a block, its `<` written `&lt;`.
 */
export function blockSafe(template: string, value: string): string {
  const tags = [...new Set([...template.matchAll(/<\/?([a-z_]+)>/g)].map((m) => m[1]!))];
  if (tags.length === 0) return value;
  return value.replace(new RegExp(`<(?=\\s*/?\\s*(?:${tags.join('|')})\\b)`, 'gi'), '&lt;');
}

/** Fills the template; every declared variable must be given. */
export function renderPrompt(prompt: Prompt, values: Record<string, string>): string {
  for (const v of prompt.variables) if (values[v] === undefined) throw new Error(`prompt ${prompt.name}: no value for {{${v}}}`);
  return prompt.template.replace(/\{\{([a-z_]+)\}\}/g, (_m, v: string) => blockSafe(prompt.template, values[v] ?? ''));
}

export interface InsightPrompts {
  turn: Prompt;
  session: Prompt;
}

/** One prompt file, checked against the schema kx sends with it. */
export function loadPrompt(name: string, schema: string, dir = PROMPTS_DIR): Prompt {
  const prompt = parsePrompt(name, fs.readFileSync(path.join(dir, `${name}.md`), 'utf8'));
  if (prompt.schema !== schema) throw new Error(`prompts/${name}.md names schema ${prompt.schema}; kx sends ${schema}`);
  return prompt;
}

export function loadPrompts(expect: { turn: string; session: string }, dir = PROMPTS_DIR): InsightPrompts {
  return { turn: loadPrompt('turn-insight', expect.turn, dir), session: loadPrompt('session-summary', expect.session, dir) };
}
