// Numbers and times the way a person reads them.

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(1)} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}

export function formatTime(iso: string): string {
  return formatTimeParts(iso).join(' ').trim();
}

/**
 * A time as its date and its clock ("Dec 5, 2026," and "5:18 PM"): a narrow cell breaks between the two,
 * never inside either, and never spills into the next column.
 */
export function formatTimeParts(iso: string): [string, string] {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return [iso, ''];
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).formatToParts(d);
  } catch {
    // A browser whose default locale Intl rejects (e.g. "en-US@posix").
    const s = d.toISOString();
    return [s.slice(0, 10), s.slice(11, 16)];
  }
  const at = parts.findIndex((p) => p.type === 'hour');
  // formatToParts keeps ICU's narrow no-break space (U+202F) where toLocaleString and format give a plain one.
  const text = (ps: Intl.DateTimeFormatPart[]) => ps.map((p) => p.value).join('').replace(/\u202f/g, ' ').trim();
  return at > 0 ? [text(parts.slice(0, at)), text(parts.slice(at))] : [text(parts), ''];
}

/** How many times the agent asked kx's memory (MCP tools) in a session: "1 memory lookup", "3 memory lookups". */
export function memoryLookups(n: number): string {
  return `${n} memory lookup${n === 1 ? '' : 's'}`;
}

/** What a session's status chip means, for its tooltip: "idle" is quiet, not over. */
export const STATUS_MEANING: Record<string, string> = {
  live: 'traffic through kx in the last 15 minutes',
  idle: 'no traffic for 15 minutes, but still open: End session (or kx end) ends it',
  ended: 'ended: no more turns are expected',
  imported: 'brought in by kx import, with no live traffic since',
};
