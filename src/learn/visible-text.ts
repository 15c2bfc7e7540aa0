// Nothing may hide in a text a person approves: invisible and direction-changing characters (zero-width
// spaces and joiners, bidirectional overrides and isolates, Unicode tag characters that can spell a
// whole hidden instruction) are shown as `⟨U+202E⟩` on the approval page and in `kx approve`.
// Pure and dependency-free: the console (ui/) bundles this same file.

/** Characters a reader cannot see or that reorder what they see. */
const HIDDEN = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDDEF]/g;

export interface VisiblePart {
  text: string;
  /** True for a hidden character, shown by its code point. */
  hidden: boolean;
}

const codePoint = (ch: string): string => `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/** The text split into what reads as it is and the hidden characters, each shown as `⟨U+XXXX⟩`. */
export function visibleParts(text: string): VisiblePart[] {
  const parts: VisiblePart[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), hidden: false });
    parts.push({ text: codePoint(m[0]), hidden: true });
    last = m.index + m[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), hidden: false });
  return parts;
}

export const visibleText = (text: string): string => visibleParts(text).map((p) => p.text).join('');

export const hasHidden = (text: string): boolean => text.search(HIDDEN) >= 0;
