// A long text kept as its head and its tail (where a command's first lines and its error usually are),
// with a mark saying how much was cut from the middle: the one cut kx makes, wherever it makes it.

/** The mark left where the middle was; `note` adds a fact ("the field had 52000"). */
export const cutMark = (chars: number, note?: string): string => `\n[kx: ${chars} characters cut here${note ? `; ${note}` : ''}]\n`;

/** How many of `keep` characters the head takes: the start is read more than the end. */
export const headShare = (keep: number): number => Math.ceil(keep * 0.6);

/** The text, or `keep` of its characters (head and tail) around the mark. */
export function headAndTail(text: string, keep: number): string {
  if (text.length <= keep) return text;
  const head = headShare(keep);
  return text.slice(0, head) + cutMark(text.length - keep) + text.slice(text.length - (keep - head));
}

/** The text, or its head and tail around the mark, at most `maxChars` long, the mark included. */
export function cutToFit(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return headAndTail(text, Math.max(0, maxChars - cutMark(text.length).length));
}
