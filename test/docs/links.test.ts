// The README and the pages under docs/ and bench/ link to each other and into the repository.
// Every relative link must land on a file that exists and, for #anchors, on a heading it has.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchors, markdownLinks } from '../support/markdown-links.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PAGES = [
  'README.md',
  ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'bench/README.md',
];

describe('documentation links', () => {
  it.each(PAGES)('every relative link in %s resolves', (page) => {
    expect(brokenLinks(path.join(ROOT, page))).toEqual([]);
  });

  it('reports a link to a missing file and an anchor that names no heading', () => {
    const dir = tempDir('kx-links-');
    fs.writeFileSync(path.join(dir, 'other.md'), '# Other page\n\n## Second part\n');
    const page = path.join(dir, 'page.md');
    fs.writeFileSync(
      page,
      ['# Page', '[fine](other.md#second-part) [gone](missing.md) [no heading](other.md#third-part) [self](#page)', '```', '[in code](nowhere.md)', '```'].join('\n'),
    );
    expect(brokenLinks(page).map((b) => b.link)).toEqual(['missing.md', 'other.md#third-part']);
  });

  it('names headings the way GitHub does', () => {
    const anchors = headingAnchors('# kx — session intelligence\n## No config edits: `kx codex`\n## Tests\n## Tests\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['kx--session-intelligence', 'no-config-edits-kx-codex', 'tests', 'tests-1']);
  });

  it('ignores links written inside code spans', () => {
    expect(markdownLinks('see [a](a.md) and `[b](b.md)`')).toEqual(['a.md']);
  });
});
