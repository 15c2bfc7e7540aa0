// The markdown pages kx writes (profile.md, a summary) as plain text for a terminal. Those pages
// escape recorded text so a viewer cannot turn it into markup (store/markdown-text.ts); a terminal
// renders nothing, so the escapes would only show (`use\_effect`). Here they are undone, the markup a
// viewer would render (headings, emphasis, links) is dropped, code keeps one pair of backticks, and
// control characters are escaped as everywhere on the terminal.

import { termText } from './terminal-text.js';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/** Text outside code spans: escapes undone, emphasis markers and link targets dropped. */
function plainSpan(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && /[\\[\]<>&*_~#|!`]/.test(s[i + 1]!)) out += s[++i]!;
    else if (c === '&') {
      const entity = Object.keys(ENTITIES).find((e) => s.startsWith(e, i));
      out += entity ? ENTITIES[entity] : c;
      if (entity) i += entity.length - 1;
    } else if (c === '*' || c === '_') continue; // unescaped: emphasis, which kx writes only as markup
    else if (c === '[' && s[i + 1] !== ' ' && s[i + 2] !== ']') {
      // [text](target) → text
      const link = /^\[([^\]]*)\]\([^)]*\)/.exec(s.slice(i));
      if (link) {
        out += plainSpan(link[1]!);
        i += link[0].length - 1;
      } else out += c;
    } else out += c;
  }
  return out;
}

/** One line: code spans (any fence length) kept as `code`, the rest plain. */
function plainLine(line: string): string {
  const text = line.replace(/^#{1,6}\s+/, '');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/(?<!\\)(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
    out += plainSpan(text.slice(last, m.index));
    const code = m[2]!.replace(/^ (.*) $/, '$1').replace(/\\\|/g, '|');
    out += `\`${code}\``;
    last = m.index + m[0].length;
  }
  return out + plainSpan(text.slice(last));
}

export function terminalMarkdown(markdown: string): string {
  return termText(markdown.split('\n').map(plainLine).join('\n'));
}
