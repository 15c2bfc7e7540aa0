// Pure text helpers the views share: how a search snippet splits into plain and marked parts, how much of a
// long captured text to show first, and what a tool's output says about how it ended.

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
