// Text on one line, for a title, a table cell, a terminal or a prompt: every run of whitespace
// (newlines, tabs, U+2028 and U+2029 too) is one space.

export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** At most `max` characters: a longer text ends in …. */
export const cutEnd = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

/** On one line, at most `max` characters. */
export const oneLineCut = (s: string, max: number): string => cutEnd(oneLine(s), max);
