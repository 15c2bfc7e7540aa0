// Captured and model text on a terminal: control characters (ESC, NUL, BEL, DEL, the C1 range, bidi
// overrides) are shown escaped, never sent raw, so text can neither hide itself (`\e[8m`), clear the
// screen (`\e[2J`) nor rewrite what is above it. Newlines and tabs are kept only where a caller
// allows them (a multi-line message), never in a single-line field.

// C0 but tab and newline, DEL, C1, and the bidi controls that reorder what a person reads.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

import { visibleText } from '../learn/visible-text.js';

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e', '\u0000': '\\0' };

const escapeChar = (c: string): string => {
  const code = c.codePointAt(0)!;
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
};

/**
 * Text for one line of a terminal: every control character, newlines included, escaped, and the
 * invisible ones that are left (a zero-width space in a folder name) shown as ⟨U+200B⟩, so two
 * lookalike project names read apart, as on the approvals page (learn/visible-text.ts).
 */
export const termLine = (s: string): string => visibleText(s.replace(UNSAFE_ONE_LINE, escapeChar));

/** Text that may span lines (a message): newlines and tabs kept, every other control character escaped, invisible ones shown. */
export const termText = (s: string): string => visibleText(s.replace(/\r\n/g, '\n').replace(UNSAFE, escapeChar));

/** A time as the person's own clock shows it: 2026-11-24 14:05 (local), not UTC. */
export function localTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return termLine(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
