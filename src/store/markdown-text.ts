// Captured and model text inside the markdown pages a person opens (learnings.md, profile.md,
// augmented_turns.md). Such text is data, never markup: raw HTML is shown as text, a link or image
// cannot form (so a preview never fetches a remote image, a tracking pixel), a single-line field stays
// on its one line (so it cannot forge a heading or a **Sent** block), and a `|` cannot split a table
// cell. Code spans the model wrote (`npm test`) stay code spans: they cannot load anything.

/** Characters that start markup outside code spans: links and images ([ ] !), HTML (< > &), emphasis, headings, tables. */
const MARKUP = /[\\[\]<>&*_~#|!]/g;

const escapePlain = (s: string): string => s.replace(MARKUP, (c) => (c === '&' ? '&amp;' : `\\${c}`));

/** Text as one line: runs of whitespace with a newline become one space. */
const flatten = (s: string): string => s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();

/**
 * One line of captured or model text for a markdown page: code spans kept (with a `|` in them escaped,
 * so a table cell holds), everything else escaped.
 */
export function mdLine(s: string): string {
  const text = flatten(s);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
    out += escapePlain(text.slice(last, m.index)).replace(/`/g, '\\`');
    out += m[0].replace(/\|/g, '\\|');
    last = m.index + m[0].length;
  }
  return out + escapePlain(text.slice(last)).replace(/`/g, '\\`');
}

/** Text shown as code on one line, whatever backticks it holds (`` a`b ``). */
export function mdCode(s: string): string {
  const text = flatten(s).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
