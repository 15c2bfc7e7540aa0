// The console's figures: the built app's gzipped size, the session list's first load on a database of 10,000
// sessions, a 500-turn timeline's render, and search over a large corpus (rows written straight into SQLite).
// Reported, never asserted. Run with `npm run bench -- --only console`.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { startKx } from '../src/kx.js';
import { SessionStore } from '../src/store/session-store.js';
import { launchBrowser } from '../harness/drivers/browser.js';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { TEST_TOKEN, testConfig } from '../harness/drivers/throwaway-config.js';
import { seedSessions } from '../harness/drivers/seed-sessions.js';
import { ensureUiBuilt } from '../scripts/ui-build.js';
import { ROOT } from './processes.js';
import { median } from './stats.js';

export interface ConsoleBenchPlan {
  sessions: number;
  turnsPerSession: number;
  outputChars: number;
  timelineTurns: number;
  timelineOutputChars: number;
}

export interface ConsoleBenchRun {
  bundle: { files: number; bytes: number; gzipBytes: number };
  corpus: { sessions: number; items: number; capturedMB: number; seedSeconds: number; indexSeconds: number };
  listApiMs: number;
  /** Navigation start to the first page of sessions in the table. */
  listFirstLoadMs: number;
  timeline: { turns: number; apiMs: number; firstTurnMs: number; settledMs: number; turnsInPage: number };
  search: Array<{ query: string; hits: number; p50Ms: number; httpP50Ms: number }>;
}

const log = (s: string): void => void process.stderr.write(`[bench] console: ${s}\n`);

function bundleSize(): ConsoleBenchRun['bundle'] {
  ensureUiBuilt();
  const dist = path.join(ROOT, 'ui', 'dist');
  const files = [path.join(dist, 'index.html'), ...fs.readdirSync(path.join(dist, 'assets')).map((f) => path.join(dist, 'assets', f))];
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const body = fs.readFileSync(f);
    bytes += body.length;
    gzipBytes += zlib.gzipSync(body, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

const settle = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));

export async function runConsoleBench(plan: ConsoleBenchPlan): Promise<ConsoleBenchRun> {
  const bundle = bundleSize();
  log(`bundle ${bundle.gzipBytes} B gzipped`);

  const dir = tempDir('kx-bench-console-');
  const seedStart = performance.now();
  const store = new SessionStore({ documentsDir: dir });
  seedSessions(store.db, { sessions: plan.sessions, turnsPerSession: plan.turnsPerSession, outputChars: plan.outputChars });
  const [timelineId] = seedSessions(store.db, { sessions: 1, turnsPerSession: plan.timelineTurns, outputChars: plan.timelineOutputChars, idPrefix: 'long', start: new Date('2027-01-01T00:00:00Z') });
  const items = store.db.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
  const capturedMB = (store.db.prepare('SELECT SUM(LENGTH(COALESCE(text,\'\')) + LENGTH(COALESCE(arguments,\'\')) + LENGTH(COALESCE(output,\'\'))) FROM items').pluck().get() as number) / 1e6;
  store.close();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  log(`seeded ${plan.sessions + 1} sessions, ${items} items, ${capturedMB.toFixed(0)} MB in ${seedSeconds.toFixed(1)} s`);

  // kx indexes what it has not indexed yet when it starts: here, everything.
  const indexStart = performance.now();
  const kx = await startKx(testConfig('http://127.0.0.1:9/v1', { documentsDir: dir }));
  const indexSeconds = (performance.now() - indexStart) / 1000;
  log(`kx started (search index built) in ${indexSeconds.toFixed(1)} s`);
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
  const browser = await launchBrowser();
  try {
    const apiTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await (await fetch(`${kx.url}/api/sessions?limit=50`, { headers: auth })).json();
      apiTimes.push(performance.now() - t);
    }
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    // Set the cookie once so the measured load is the console itself, not the token redirect.
    const warm = await context.newPage();
    await warm.goto(`${kx.url}/ui/?token=${TEST_TOKEN}`);
    await warm.locator('kx-sessions-view tbody tr').first().waitFor({ timeout: 60_000 });
    await warm.close();

    const listLoads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await context.newPage();
      const t = performance.now();
      await page.goto(`${kx.url}/ui/`);
      await page.locator('kx-sessions-view tbody tr').nth(49).waitFor({ timeout: 60_000 });
      listLoads.push(performance.now() - t);
      await page.close();
    }
    log(`list first load p50 ${median(listLoads).toFixed(0)} ms`);

    const t0 = performance.now();
    await (await fetch(`${kx.url}/api/sessions/${timelineId}`, { headers: auth })).json();
    const timelineApiMs = performance.now() - t0;
    const page = await context.newPage();
    const t1 = performance.now();
    await page.goto(`${kx.url}/ui/#/sessions/${timelineId}`);
    await page.locator('kx-turn').first().waitFor({ timeout: 60_000 });
    const firstTurnMs = performance.now() - t1;
    await settle(page);
    const settledMs = performance.now() - t1;
    const turnsInPage = await page.locator('kx-turn').count();
    await page.close();
    log(`500-turn timeline: first turn ${firstTurnMs.toFixed(0)} ms, settled ${settledMs.toFixed(0)} ms`);

    const search: ConsoleBenchRun['search'] = [];
    for (const query of ['vite', 'docker compose', 'migrat', 'pandas frame column', 'question 3']) {
      const times: number[] = [];
      const http: number[] = [];
      let hits = 0;
      for (let i = 0; i < 5; i++) {
        let t = performance.now();
        hits = kx.search.search(query, { limit: 20 }).length;
        times.push(performance.now() - t);
        t = performance.now();
        await (await fetch(`${kx.url}/api/search?q=${encodeURIComponent(query)}`, { headers: auth })).json();
        http.push(performance.now() - t);
      }
      search.push({ query, hits, p50Ms: median(times), httpP50Ms: median(http) });
      log(`search "${query}": ${median(times).toFixed(1)} ms`);
    }
    return {
      bundle,
      corpus: { sessions: plan.sessions + 1, items, capturedMB, seedSeconds, indexSeconds },
      listApiMs: median(apiTimes),
      listFirstLoadMs: median(listLoads),
      timeline: { turns: plan.timelineTurns, apiMs: timelineApiMs, firstTurnMs, settledMs, turnsInPage },
      search,
    };
  } finally {
    await browser.close();
    await kx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function consoleMarkdown(c: ConsoleBenchRun): string {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  return [
    '## Console',
    '',
    `Corpus: ${c.corpus.sessions.toLocaleString('en')} sessions, ${c.corpus.items.toLocaleString('en')} items, ${c.corpus.capturedMB.toFixed(0)} MB of captured text (seeded in ${c.corpus.seedSeconds.toFixed(1)} s; kx built the search index at start in ${c.corpus.indexSeconds.toFixed(1)} s).`,
    '',
    '| | measured | target |',
    '|---|---|---|',
    `| built app, gzipped | ${(c.bundle.gzipBytes / 1024).toFixed(1)} KB (${c.bundle.files} files, ${(c.bundle.bytes / 1024).toFixed(0)} KB raw) | ≤ 150 KB |`,
    `| session list: GET /api/sessions (50 of ${c.corpus.sessions.toLocaleString('en')}) | ${ms(c.listApiMs)} | |`,
    `| session list: first load to 50 rows shown | ${ms(c.listFirstLoadMs)} | ≤ 1 s |`,
    `| ${c.timeline.turns}-turn timeline: GET /api/sessions/:id | ${ms(c.timeline.apiMs)} | |`,
    `| ${c.timeline.turns}-turn timeline: first turn shown / settled (${c.timeline.turnsInPage} turns in the page, the rest as you scroll) | ${ms(c.timeline.firstTurnMs)} / ${ms(c.timeline.settledMs)} | ≤ 1 s |`,
    ...c.search.map((s) => `| search "${s.query}" (${s.hits} hits shown): index / HTTP p50 | ${ms(s.p50Ms)} / ${ms(s.httpP50Ms)} | ≤ 200 ms |`),
    '',
  ].join('\n');
}
