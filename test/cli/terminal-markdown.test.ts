// What `kx notes` and `kx summary` print: the markdown pages kx writes (profile.md, the summary in
// learnings.md) as plain text for a terminal. The escapes that keep recorded text from becoming
// markup in a markdown viewer (`\_`, `\*`, `&amp;`) are not shown; what the text says is.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kxClient, type KxClient } from '../../src/cli/kx-client.js';
import { terminalMarkdown } from '../../src/cli/terminal-markdown.js';
import { mdCode, mdLine } from '../../src/store/markdown-text.js';
import { startInsightHarness, type InsightHarness } from '../support/insight-harness.js';
import { commandRunner } from '../support/run-command.js';

describe('markdown on a terminal', () => {
  it('shows escaped text as it was written', () => {
    const text = 'what is use_effect? *really* [docs](x) <b> a|b & c # not a heading ~x~ !';
    expect(terminalMarkdown(mdLine(text))).toBe(text);
  });

  it('shows code as code, its escapes undone', () => {
    expect(terminalMarkdown(`run ${mdCode('npm run db:migrate | tee x_y')} first`)).toBe('run `npm run db:migrate | tee x_y` first');
    expect(terminalMarkdown(`it prints ${mdCode('a`b')}`)).toBe('it prints `a`b`');
  });

  it('drops the markup a viewer would render: headings, emphasis, links', () => {
    const page = ['# /home/ana/my\\_shop: read before', '', '- **what is use\\_effect?** (`g_1`)', '_Version 2, written today._', 'see [learnings.archive.md](learnings.archive.md)'].join('\n');
    expect(terminalMarkdown(page)).toBe(['/home/ana/my_shop: read before', '', '- what is use_effect? (`g_1`)', 'Version 2, written today.', 'see learnings.archive.md'].join('\n'));
  });

  it('keeps a task box and a quote as they read', () => {
    expect(terminalMarkdown('- [ ] run the tests\n> said \\*twice\\*')).toBe('- [ ] run the tests\n> said *twice*');
  });

  it('escapes control characters all the same', () => {
    expect(terminalMarkdown(mdLine('a\u001b[2Jb'))).not.toContain('\u001b');
  });
});

describe('kx notes and kx summary print plain text', () => {
  let h: InsightHarness;
  let api: KxClient;
  const run = commandRunner(() => api);

  beforeAll(async () => {
    h = await startInsightHarness();
    await h.turn('my_shop_session', 'what is use_effect? *really*', { cwd: '/home/ana/my_shop' });
    await h.waitFor('a gap', () => h.kx.insight.engine.reader.gaps().length === 1);
    api = kxClient(h.kx.url, h.config.uiToken);
  }, 60_000);

  afterAll(async () => h?.close());

  it('kx notes: the project page without markdown escapes', async () => {
    const text = await run(['notes'], '/home/ana/my_shop');
    expect(text).toContain('/home/ana/my_shop: read before your next session');
    expect(text).toContain('what is use_effect? *really*');
    expect(text).not.toMatch(/\\[_*[\]|#]/);
    expect(text).not.toMatch(/^#/m);
  });

  it('kx summary: the summary without markdown escapes', async () => {
    await run(['end', 'my_shop_session']);
    await h.waitFor('the summary', () => h.kx.store.db.prepare(`SELECT 1 FROM session_summaries WHERE session_id = 'my_shop_session'`).get() !== undefined);
    const text = await run(['summary', 'my_shop_session']);
    expect(text).toContain('use_effect');
    expect(text).not.toMatch(/\\[_*[\]|#]/);
    expect(text).not.toMatch(/^#/m);
  });
});
