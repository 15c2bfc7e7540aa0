// Does memory find what it recorded? 15 past sessions that solved something (the oldest in the store), 75
// labelled queries of five kinds, and 10,000 newer everyday sessions sharing their vocabulary. Each system
// ranks sessions; we report hit@1, hit@5 and MRR@10 per query kind, and each system's latency.
// Run with `npm run bench -- --only retrieval` (`--quick`: 1,000 everyday sessions).

import { performance } from 'node:perf_hooks';
import { SessionStore } from '../src/store/session-store.js';
import { SearchIndex } from '../src/store/search-index.js';
import { Retrieval } from '../src/store/retrieval.js';
import { SYNONYMS } from '../src/store/synonym-groups.js';
import { seedSessions } from '../harness/drivers/seed-sessions.js';
import { tempDir } from '../harness/drivers/temp-dir.js';
import { PROJECTS, QUERY_KINDS, TARGETS, everydayAnswer, everydayHuman, type QueryKind } from './retrieval-corpus.js';
import { legacyConsoleSearch, legacyMcpSearch } from './legacy-search.js';
import { percentile } from './stats.js';
import { defaultSearchTerms } from '../harness/fake-upstream/insight.js';
import { InsightReader } from '../src/insight/insight-reader.js';
import { HybridRetrieval } from '../src/store/hybrid-retrieval.js';
import { EMBEDDING_DIMENSIONS, VectorStore } from '../src/store/vectors.js';
import { fakeEmbedding } from '../harness/fake-upstream/embeddings.js';
import { BLIND_TERMS } from './retrieval-blind-terms.js';

export interface RetrievalBenchPlan {
  everyday: number;
  turnsPerSession: number;
}

interface Scores {
  hit1: number;
  hit5: number;
  mrr10: number;
}
export interface RetrievalBench {
  corpus: { sessions: number; items: number; targets: number; queries: number };
  projectByName: { p50: number; p95: number };
  systems: Array<{ name: string; perKind: Record<QueryKind, Scores>; overall: Scores; halves: { tuning: number; heldOut: number }; p50: number; p95: number; cpuP95: number; missedAt5: string[] }>;
}

/** A system: the query (and the project for project-scoped ones) → session ids, best first. */
type System = (query: string, project: string | undefined) => Array<string | null> | Promise<Array<string | null>>;

const log = (s: string): void => void process.stderr.write(`[bench] retrieval: ${s}\n`);

export function buildCorpus(store: SessionStore, plan: RetrievalBenchPlan): string[] {
  const db = store.db;
  const targets = seedSessions(db, { sessions: TARGETS.length, turnsPerSession: 1, idPrefix: 'target', start: new Date('2025-06-01T00:00:00Z'), humanText: (s) => TARGETS[s]!.human });
  const everyday = seedSessions(db, {
    sessions: plan.everyday,
    turnsPerSession: plan.turnsPerSession,
    outputChars: 300,
    idPrefix: 'everyday',
    start: new Date('2026-01-01T00:00:00Z'),
    humanText: everydayHuman,
  });
  db.transaction(() => {
    const project = db.prepare(`INSERT INTO projects (id, name, created_at) VALUES (?, ?, '2025-01-01T00:00:00Z')`);
    const names = [...PROJECTS, 'docs-site', 'mobile-app', 'infra', 'admin-panel'];
    for (const p of names) project.run(p, `/home/dev/${p}`);
    const place = db.prepare(`UPDATE sessions SET project = ?, cwd = ? WHERE id = ?`);
    targets.forEach((id, i) => place.run(TARGETS[i]!.project, `/home/dev/${TARGETS[i]!.project}`, id));
    everyday.forEach((id, i) => place.run(names[i % names.length]!, `/home/dev/${names[i % names.length]}`, id));
    const text = db.prepare(`UPDATE items SET text = ? WHERE session_id = ? AND kind = 'assistant_message' AND turn_id = ?`);
    const output = db.prepare(`UPDATE items SET output = ? WHERE session_id = ? AND kind = 'tool_output'`);
    targets.forEach((id, i) => {
      text.run(TARGETS[i]!.answer, id, `t_${id}_1`);
      output.run(TARGETS[i]!.output, id);
    });
    everyday.forEach((id, s) => {
      for (let t = 1; t <= plan.turnsPerSession; t++) text.run(everydayAnswer(s, t), id, `t_${id}_${t}`);
    });
  })();
  return targets;
}

/** Copies of the index under another tokenizer, with or without identifiers split, so each is chosen by measurement on the same documents. */
function copyIndex(store: SessionStore, table: string, tokenize: string, identifiers = true): void {
  store.db.exec(`CREATE VIRTUAL TABLE ${table} USING fts5(text, idents, doc_kind UNINDEXED, ref_id UNINDEXED, session_id UNINDEXED, turn_id UNINDEXED, project UNINDEXED, tokenize = '${tokenize}');
    INSERT INTO ${table} (rowid, text, idents, doc_kind, ref_id, session_id, turn_id, project) SELECT rowid, text, ${identifiers ? 'idents' : "''"}, doc_kind, ref_id, session_id, turn_id, project FROM search_docs;`);
  if (!table.startsWith('bench_terms')) metaFor(store, table);
}

/** The copy's side table of sessions and projects (search-index.ts's SEARCH_META_MIGRATION), once it is filled. */
function metaFor(store: SessionStore, table: string): void {
  store.db.exec(`CREATE TABLE ${table}_meta (rowid INTEGER PRIMARY KEY, session_id TEXT, project TEXT);
    INSERT INTO ${table}_meta SELECT rowid, session_id, project FROM ${table};
    CREATE INDEX ${table}_meta_session ON ${table}_meta(session_id); CREATE INDEX ${table}_meta_project ON ${table}_meta(project);`);
}

/** Whose search terms a target's turn gets; every other turn gets the fake upstream's. */
type TargetTerms = 'fake' | 'hand' | 'blind';

/** A copy of the porter index plus each turn's search terms: the fake upstream's, or for targets hand-written or blind ones. */
function indexWithTerms(store: SessionStore, table: string, targets: string[], whose: TargetTerms): void {
  copyIndex(store, table, 'porter unicode61 remove_diacritics 2');
  const turns = store.db
    .prepare(`SELECT session_id AS sessionId, turn_id AS turnId, group_concat(COALESCE(text, output, arguments, ''), char(10)) AS text FROM items GROUP BY turn_id`)
    .all() as Array<{ sessionId: string; turnId: string; text: string }>;
  const insert = store.db.prepare(`INSERT INTO ${table} (text, doc_kind, ref_id, session_id, turn_id) VALUES (?, 'search_terms', ?, ?, ?)`);
  store.db.transaction(() => {
    for (const t of turns) {
      const target = whose === 'fake' ? -1 : targets.indexOf(t.sessionId);
      const terms = target < 0 ? defaultSearchTerms(`<turn>\n${t.text}\n</turn>`) : whose === 'hand' ? TARGETS[target]!.terms.split(', ') : BLIND_TERMS[target]!;
      if (terms.length) insert.run(terms.join('\n'), t.turnId, t.sessionId, t.turnId);
    }
  })();
  metaFor(store, table);
}

/** p50 and p95 of resolving a project by its folder name, the way MCP's `project` argument is resolved. */
function projectByName(store: SessionStore): { p50: number; p95: number } {
  const reader = new InsightReader(store.db);
  const times = Array.from({ length: 200 }, (_, i) => {
    const started = performance.now();
    reader.projectId(`/home/dev/${PROJECTS[i % PROJECTS.length]}`);
    return performance.now() - started;
  });
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

function rankOf(ids: Array<string | null>, target: string): number {
  const seen: string[] = [];
  for (const id of ids) if (id && !seen.includes(id)) seen.push(id);
  return seen.indexOf(target) + 1;
}

function score(ranks: number[]): Scores {
  const n = Math.max(1, ranks.length);
  return {
    hit1: ranks.filter((r) => r === 1).length / n,
    hit5: ranks.filter((r) => r >= 1 && r <= 5).length / n,
    mrr10: ranks.reduce((s, r) => s + (r >= 1 && r <= 10 ? 1 / r : 0), 0) / n,
  };
}

async function measure(name: string, system: System, targets: string[]): Promise<RetrievalBench['systems'][number]> {
  const byKind = new Map<QueryKind, number[]>(QUERY_KINDS.map((k) => [k, []]));
  const times: number[] = [];
  /** CPU time of the search (one thread here): steadier than the clock on a machine shared with other work. */
  const cpuTimes: number[] = [];
  const missedAt5: string[] = [];
  for (const [i, t] of TARGETS.entries()) {
    for (const [k, q] of t.queries.entries()) {
      const kind = QUERY_KINDS[k]!;
      const started = performance.now();
      const cpu = process.cpuUsage();
      const ids = await system(q, kind === 'project' ? t.project : undefined);
      const used = process.cpuUsage(cpu);
      times.push(performance.now() - started);
      cpuTimes.push((used.user + used.system) / 1000);
      const rank = rankOf(ids, targets[i]!);
      byKind.get(kind)!.push(rank);
      if (rank < 1 || rank > 5) missedAt5.push(`${kind}: ${q}`);
    }
  }
  const perKind = Object.fromEntries([...byKind].map(([k, r]) => [k, score(r)])) as Record<QueryKind, Scores>;
  const all = [...byKind.values()].flat();
  // Changes are judged on the even targets; the odd ones are held out (a change must help both, or be argued generally).
  const half = (odd: number) => score(all.filter((_, i) => (i % TARGETS.length) % 2 === odd)).hit5;
  const halves = { tuning: half(0), heldOut: half(1) };
  log(`${name}: hit@5 ${score(all).hit5.toFixed(2)} (tuning half ${halves.tuning.toFixed(2)}, held-out half ${halves.heldOut.toFixed(2)}), p95 ${percentile(times, 95).toFixed(1)} ms, CPU p95 ${percentile(cpuTimes, 95).toFixed(1)} ms`);
  return { name, perKind, overall: score(all), halves, p50: percentile(times, 50), p95: percentile(times, 95), cpuP95: percentile(cpuTimes, 95), missedAt5 };
}

/** Every turn embedded with the fake upstream's function, as the insight worker would with its answers. */
function embedTurns(store: SessionStore): VectorStore {
  const vectors = VectorStore.open(store.db, { write: true, onUnavailable: (why) => log(`sqlite-vec will not load: ${why}`) });
  if (!vectors) throw new Error('the retrieval bench needs sqlite-vec');
  for (let turns = vectors.pending(2000); turns.length; turns = vectors.pending(2000)) {
    vectors.store(turns.map((turn) => ({ turn, vector: fakeVector(turn.text) })), 'fake');
  }
  return vectors;
}
const fakeVector = (text: string) => Float32Array.from(fakeEmbedding(text, EMBEDDING_DIMENSIONS));

export async function runRetrievalBench(plan: RetrievalBenchPlan): Promise<RetrievalBench> {
  const dir = tempDir('kx-bench-retrieval-');
  const store = new SessionStore({ documentsDir: dir });
  try {
    const targets = buildCorpus(store, plan);
    new SearchIndex(store.db).catchUp();
    copyIndex(store, 'bench_unicode', 'unicode61 remove_diacritics 2', false);
    copyIndex(store, 'bench_porter_plain', 'porter unicode61 remove_diacritics 2', false);
    copyIndex(store, 'bench_porter', 'porter unicode61 remove_diacritics 2');
    const items = store.db.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
    const sessions = store.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number;
    log(`${sessions} sessions, ${items} items, ${TARGETS.length * 5} queries`);
    const db = store.db;
    const ids = (hits: Array<{ sessionId: string | null }>) => hits.map((h) => h.sessionId);
    const lexical = (table: string, synonyms = true): System => {
      const r = new Retrieval(db, table, synonyms ? SYNONYMS : null);
      return (q, project) => ids(r.sessions(q, { limit: 10, ...(project ? { project } : {}) }));
    };
    indexWithTerms(store, 'bench_terms_fake', targets, 'fake');
    indexWithTerms(store, 'bench_terms_hand', targets, 'hand');
    indexWithTerms(store, 'bench_terms_blind', targets, 'blind');
    const index = new SearchIndex(db);
    const vectors = embedTurns(store);
    const hybrid = (table: string): System => {
      const h = new HybridRetrieval(db, new Retrieval(db, table), vectors, async (q) => fakeVector(q));
      return async (q, project) => ids(await h.sessions(q, { limit: 10, ...(project ? { project } : {}) }));
    };
    const systems: RetrievalBench['systems'] = [];
    for (const m of [
      () => measure('before: MCP search (newest 100, all words)', (q, p) => ids(legacyMcpSearch(db, 'bench_unicode', q, 20, p)), targets),
      () => measure('before: console search (all words, BM25 per item)', (q, p) => ids(legacyConsoleSearch(db, 'bench_unicode', q, 50, p)), targets),
      () => measure('lexical, no stemming', lexical('bench_unicode'), targets),
      () => measure('lexical, porter stemming, identifiers whole', lexical('bench_porter_plain'), targets),
      () => measure('lexical, porter stemming, identifiers split, no synonyms', lexical('bench_porter', false), targets),
      () => measure('lexical, porter stemming, identifiers split, synonyms (MCP search now)', lexical('bench_porter'), targets),
      () => measure('console search now (lexical, porter, last word a prefix, 50 hits)', (q, p) => ids(index.search(q, { limit: 51, prefix: true, ...(p ? { project: p } : {}) })), targets),
      () => measure('lexical + search terms (the fake upstream\'s, every session)', lexical('bench_terms_fake'), targets),
      () => measure('lexical + search terms (hand-written for targets, the fake\'s for the rest)', lexical('bench_terms_hand'), targets),
      () => measure('lexical + search terms (written blind by a model for targets, the fake\'s for the rest)', lexical('bench_terms_blind'), targets),
      () => measure('lexical + embeddings (the fake upstream\'s), fused by RRF', hybrid('bench_porter'), targets),
      () => measure('lexical + search terms + embeddings (the fake upstream\'s)', hybrid('bench_terms_fake'), targets),
      () => measure('lexical + hand-written terms + embeddings', hybrid('bench_terms_hand'), targets),
      () => measure('lexical + blind-written terms + embeddings', hybrid('bench_terms_blind'), targets),
    ]) systems.push(await m());
    return { corpus: { sessions, items, targets: TARGETS.length, queries: TARGETS.length * 5 }, systems, projectByName: projectByName(store) };
  } finally {
    store.close();
  }
}

const f2 = (n: number) => n.toFixed(2);

export function renderRetrieval(b: RetrievalBench): string {
  const head = `## Retrieval: does memory find what it recorded?\n\n${b.corpus.sessions} sessions (${b.corpus.items} items); ${b.corpus.targets} target sessions, the oldest; ${b.corpus.queries} labelled queries. A hit is the target session among the first k distinct sessions.\n`;
  const overall = ['| system | hit@1 | hit@5 | MRR@10 | hit@5 tuning / held-out half | p50 ms | p95 ms | CPU p95 ms |', '|---|---|---|---|---|---|---|---|',
    ...b.systems.map((s) => `| ${s.name} | ${f2(s.overall.hit1)} | ${f2(s.overall.hit5)} | ${f2(s.overall.mrr10)} | ${f2(s.halves.tuning)} / ${f2(s.halves.heldOut)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.cpuP95.toFixed(1)} |`)];
  const kinds = [`| system | ${QUERY_KINDS.map((k) => `${k} hit@1 / hit@5 / MRR`).join(' | ')} |`, `|---|${QUERY_KINDS.map(() => '---').join('|')}|`,
    ...b.systems.map((s) => `| ${s.name} | ${QUERY_KINDS.map((k) => `${f2(s.perKind[k].hit1)} / ${f2(s.perKind[k].hit5)} / ${f2(s.perKind[k].mrr10)}`).join(' | ')} |`)];
  const project = `Resolving a project by its folder name (MCP's \`project\` argument): p50 ${b.projectByName.p50.toFixed(2)} ms, p95 ${b.projectByName.p95.toFixed(2)} ms.`;
  return [head, ...overall, '', 'Per kind of query:', '', ...kinds, '', project, ''].join('\n');
}
