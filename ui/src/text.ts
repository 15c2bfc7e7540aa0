// Pure text helpers the views share: how a search snippet splits into plain and marked parts, how much of a
// long captured text to show first, and what a tool's output says about how it ended.

import { parseJson } from '../../src/protocol/json-guards.js';

/** A snippet's parts: matches sit between \u0001 and \u0002 (src/store/search-index.ts). */
export function snippetParts(snippet: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  for (const [i, chunk] of snippet.split('\u0001').entries()) {
    if (i === 0) {
      if (chunk) parts.push({ text: chunk, match: false });
      continue;
    }
    const end = chunk.indexOf('\u0002');
    if (end < 0) {
      parts.push({ text: chunk, match: true });
      continue;
    }
    parts.push({ text: chunk.slice(0, end), match: true });
    if (end + 1 < chunk.length) parts.push({ text: chunk.slice(end + 1).replaceAll('\u0002', ''), match: false });
  }
  return parts;
}

const HEAD_CHARS = 1200;
const HEAD_LINES = 16;

/** The head of a long text to show collapsed, or undefined when the text is short enough to show whole. */
export function headOf(text: string): string | undefined {
  let end = 0;
  for (let line = 0; line < HEAD_LINES; line++) {
    const next = text.indexOf('\n', end);
    if (next < 0) return text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : undefined;
    end = next + 1;
    if (end > HEAD_CHARS) return text.slice(0, HEAD_CHARS);
  }
  return end < text.length ? text.slice(0, end - 1) : undefined;
}

/** Codex's exec output carries its exit code and wall time in a header; show them beside the call. */
export function toolOutcome(output: string): { exitCode: number | null; seconds: number | null } {
  const exit = /(?:Exit code|exited with code):?\s*(-?\d+)/i.exec(output.slice(0, 500));
  const wall = /Wall time:\s*([\d.]+)\s*s/i.exec(output.slice(0, 500));
  return { exitCode: exit ? Number(exit[1]) : null, seconds: wall ? Number(wall[1]) : null };
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'fish', 'pwsh', 'powershell', '/bin/bash', '/bin/sh', '/bin/zsh', '/usr/bin/bash']);

/** One word as a shell reads it: quoted only when it has to be. */
const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`);

/**
 * Older Codex shell calls pass the command as an array (`{"command":["bash","-lc","ls -la"],"workdir":…}`):
 * shown as the line a person would type, `bash -lc` dropped, with the folder it ran in. Undefined for
 * arguments of any other shape.
 */
export function shellCommandLine(args: string): { line: string; workdir: string | null } | undefined {
  const parsed = parseJson(args);
  const cmd = (parsed as { command?: unknown } | null)?.command;
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((w) => typeof w === 'string')) return undefined;
  const words = cmd as string[];
  const script = words.length === 3 && SHELLS.has(words[0]!) && /^-l?c$/.test(words[1]!) ? words[2]! : undefined;
  const workdir = (parsed as { workdir?: unknown }).workdir;
  return { line: script ?? words.map(shellWord).join(' '), workdir: typeof workdir === 'string' ? workdir : null };
}

/**
 * Older Codex tool outputs are JSON (`{"output":"line 1\nline 2","metadata":{"exit_code":0,"duration_seconds":0.4}}`):
 * the text inside, with its newlines, and the exit code and time. Undefined for any other output.
 */
export function jsonToolOutput(output: string): { text: string; exitCode: number | null; seconds: number | null } | undefined {
  if (!output.trimStart().startsWith('{')) return undefined;
  const parsed = parseJson(output);
  const o = parsed as { output?: unknown; metadata?: { exit_code?: unknown; duration_seconds?: unknown } } | null;
  if (typeof o?.output !== 'string') return undefined;
  const exit = o.metadata?.exit_code;
  const secs = o.metadata?.duration_seconds;
  return { text: o.output, exitCode: typeof exit === 'number' ? exit : null, seconds: typeof secs === 'number' ? Math.round(secs * 10) / 10 : null };
}

/** A reasoning summary's markdown emphasis (`**Title**`, `*word*`, `_word_`) as parts to bind as text, never as markup. */
export function emphasisParts(text: string): Array<{ text: string; strong?: true; em?: true }> {
  const parts: Array<{ text: string; strong?: true; em?: true }> = [];
  const re = /\*\*([^*\n]+?)\*\*|(?<![\w*])\*([^*\s][^*\n]*?)\*(?![\w*])|(?<![\w_])_([^_\s][^_\n]*?)_(?![\w_])/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    if (m[1] !== undefined) parts.push({ text: m[1], strong: true });
    else parts.push({ text: (m[2] ?? m[3])!, em: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
