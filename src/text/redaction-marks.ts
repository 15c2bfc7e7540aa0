// A `[REDACTED:api-key]` marker stands where redaction took a secret out (src/capture/redact.ts). Its kind
// (`api-key`, `github-token`) names what was there, not what anyone wrote, so a search snippet must not
// mark it as a match of "key"; the word REDACTED stays matchable, to find where secrets were printed.

const START = '\u0001';
const END = '\u0002';
/** A marker in a snippet, match marks (\u0001 … \u0002) allowed anywhere inside. */
const MARKER_IN_SNIPPET = /\[(\u0001?)REDACTED(\u0002?)(:[a-z0-9\u0001\u0002-]+)\]/g;

/** `snippet` with the match marks inside each marker's kind taken out, every mark still closed. */
export function unmarkRedactionKinds(snippet: string): string {
  if (!snippet.includes('REDACTED')) return snippet;
  return snippet.replace(MARKER_IN_SNIPPET, (whole, open: string, close: string, kind: string) => {
    const marks = kind.replace(/[^\u0001\u0002]/g, '');
    if (!marks) return whole;
    // A mark still open when the kind starts is closed after REDACTED; one left open at its end reopens after `]`.
    const openAtStart = (open !== '' && close === '') || marks[0] === END;
    const openAtEnd = marks.at(-1) === START;
    return `[${open}REDACTED${close}${openAtStart ? END : ''}${kind.replace(/[\u0001\u0002]/g, '')}]${openAtEnd ? START : ''}`;
  });
}
