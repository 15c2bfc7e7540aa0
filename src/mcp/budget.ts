// What an answer to the agent may cost. The agent pays for every token a tool returns, and a past tool
// output can be megabytes, so each answer has a budget and long text keeps its head and its tail (where
// a command's first lines and its error usually are), with a mark saying how much was cut.

import { cutToFit } from '../text/head-and-tail.js';

/** Tokens per answer by default: enough for a dozen hits or one turn, small beside a model's context. */
export const ANSWER_BUDGET_TOKENS = 2000;

/**
 * Joins a heading and entries while they fit the budget; the rest is counted in a closing line, never
 * silently dropped. An entry that alone is too long is cut in the middle.
 */
export function fitEntries(heading: string, entries: string[], budgetTokens = ANSWER_BUDGET_TOKENS, more = 'narrow the question'): string {
  const maxChars = budgetTokens * 4;
  const out = [heading];
  let used = heading.length;
  let shown = 0;
  for (const entry of entries) {
    const left = maxChars - used - 120; // room for the closing line
    if (left <= 200) break;
    const text = entry.length > left ? cutToFit(entry, left) : entry;
    out.push(text);
    used += text.length + 2;
    shown++;
    if (text !== entry) break;
  }
  if (shown < entries.length) out.push(`(${entries.length - shown} more not shown to keep this answer short; ${more}.)`);
  return cutToFit(out.join('\n\n'), maxChars);
}
