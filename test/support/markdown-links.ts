// Finds the relative links of a markdown file that point nowhere: a missing file, or an #anchor
// that names no heading of its target. External links (http:, mailto:) are not checked: the tests
// have no network.

import fs from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  file: string;
  link: string;
  reason: string;
}

const FENCE = /^\s*(```|~~~)/;

/** The lines outside fenced code blocks, where headings and links count. */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) fenced = !fenced;
    else if (!fenced) out.push(line);
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const plain = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every `[text](target)` outside code, as written. */
export function markdownLinks(text: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(text)) {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const m of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1]!);
  }
  return links;
}

export function brokenLinks(file: string): BrokenLink[] {
  const text = fs.readFileSync(file, 'utf8');
  const broken: BrokenLink[] = [];
  for (const link of markdownLinks(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
    const [target = '', anchor] = link.split('#', 2);
    const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
    if (!fs.existsSync(resolved)) {
      broken.push({ file, link, reason: `no file ${path.relative(process.cwd(), resolved)}` });
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (fs.statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
      broken.push({ file, link, reason: 'an anchor into something that is not a markdown file' });
      continue;
    }
    if (!headingAnchors(fs.readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) {
      broken.push({ file, link, reason: `no heading #${anchor} in ${path.relative(process.cwd(), resolved)}` });
    }
  }
  return broken;
}
