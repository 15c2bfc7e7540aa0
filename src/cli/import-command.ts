// kx import codex [PATH...] [--since DATE] [--no-insight] [--documents DIR] [--env-file F]
// Argument parsing and what the person sees; the import itself is src/import/codex-import.ts.

import { codexHome, readSettings } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { parseFlags } from '../config/flags.js';
import path from 'node:path';
import { importCodexRollouts, type CodexImportResult, type ImportedSession, type ImportProgress } from '../import/codex-import.js';
import { codexRolloutDirs, findRolloutFiles, MissingRolloutPath } from '../import/rollout-files.js';
import { importInsight, type QueuedJobs } from '../insight/import-jobs.js';
import { jobCost } from '../insight/job-cost.js';
import { loadPrompts } from '../insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../insight/schemas.js';
import { termLine } from './terminal-text.js';

export interface ImportArgs {
  source: 'codex';
  paths: string[];
  /** true when the paths are Codex's default folders, which may not all exist. */
  defaultPaths: boolean;
  since?: Date;
  queueInsights: boolean;
  /** Flags for the settings (--documents, --env-file), passed through. */
  settingsArgv: string[];
}

import { IMPORT_OPTIONS, IMPORT_USAGE } from './import-usage.js';

/** A date as YYYY-MM-DD (midnight UTC) or any ISO 8601 time. */
function parseSince(value: string | undefined): Date {
  const date = value && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new ConfigError(`--since needs a date such as 2026-11-01 (got ${value ?? 'nothing'})`);
  return date;
}

export function parseImportArgs(argv: readonly string[], home: string, cwd = process.cwd()): ImportArgs {
  const parsed = parseFlags(argv, IMPORT_OPTIONS, { usage: IMPORT_USAGE, maxPositionals: Infinity });
  const [source, ...paths] = parsed.positionals;
  if (source !== 'codex') throw new ConfigError(`kx import knows one source, codex\nUsage: ${IMPORT_USAGE}`);
  const { values } = parsed;
  const settingsArgv = [...(values.documents !== undefined ? ['--documents', values.documents] : []), ...(values['env-file'] !== undefined ? ['--env-file', values['env-file']] : [])];
  const since = values.since !== undefined ? parseSince(values.since) : undefined;
  const defaultPaths = paths.length === 0;
  return {
    source,
    paths: defaultPaths ? codexRolloutDirs(home) : paths.map((p) => path.resolve(cwd, p)),
    defaultPaths,
    ...(since ? { since } : {}),
    queueInsights: values['no-insight'] !== true,
    settingsArgv,
  };
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function sessionLine(s: ImportedSession): string {
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const what = s.itemsAdded > 0 ? `${plural(s.newTurnIds.length, 'turn')}, ${plural(s.itemsAdded, 'item')} added` : 'nothing new';
  // Thread ids and folders come from the file: shown escaped, never as raw control characters.
  return `${s.sessionId ? termLine(s.sessionId) : '(no session id)'}  ${what}${skipped ? `, ${plural(skipped, 'line')} skipped` : ''}${s.cwd ? `  ${termLine(s.cwd)}` : ''}`;
}

function progressBar(p: ImportProgress): string {
  const width = 30;
  const done = p.bytes > 0 ? Math.min(1, p.bytesRead / p.bytes) : 1;
  const filled = Math.round(done * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}%  ${p.filesDone}/${p.files} files  ${plural(p.itemsAdded, 'item')} added`;
}

function summary(r: CodexImportResult): string[] {
  const byReason = new Map<string, string[]>();
  for (const u of r.unsupported) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.file]);
  const unsupported = [...byReason].map(
    ([reason, files]) => `left out ${plural(files.length, 'file')} kx cannot read (${reason}): ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`,
  );
  if (r.files === 0) return [...unsupported, ...(r.unsupported.length ? [] : ['no Codex rollouts found there (files whose first line is a session_meta)'])];
  const lines = [
    `imported ${plural(r.files, 'rollout')}: ${plural(r.turnsAdded, 'turn')} and ${plural(r.itemsAdded, 'item')} added to ${plural(r.sessionsChanged, 'session')}` +
      `${r.sessionsUnchanged ? `, ${plural(r.sessionsUnchanged, 'session')} already complete` : ''}` +
      `${r.sessionsBeforeSince ? `, ${plural(r.sessionsBeforeSince, 'session')} before --since left out` : ''} (${r.seconds.toFixed(1)} s)`,
  ];
  const skipped = Object.entries(r.skipped);
  if (r.timestampsRepaired) lines.push(`${plural(r.timestampsRepaired, 'timestamp')} not a date: given the time of the line before`);
  if (skipped.length) lines.push(`skipped lines: ${skipped.map(([why, n]) => `${n} ${termLine(why)}`).join('; ')}`);
  lines.push(...unsupported);
  for (const f of r.failed) lines.push(`could not read ${termLine(f.file)}: ${termLine(f.error)}`);
  return lines;
}

/** Two significant figures: the estimate is no finer than that. */
const roughly = (n: number): number => {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, n))) - 1);
  return Math.round(n / unit) * unit;
};

/** What the import left the insight engine to do, what that will cost, and how not to. */
function jobsNotice(q: QueuedJobs, how: { queue: boolean; mode: string; model: string }): string[] {
  if (!how.queue) return ['no insight jobs queued (--no-insight); to queue them later, import the same sessions again without it'];
  if (how.mode === 'off') return ['no insight jobs queued (KX_INSIGHT=off)'];
  const jobs = q.turns + q.sessions;
  if (jobs === 0) return ['no insight jobs queued: nothing new to read'];
  return [
    `queued ${plural(jobs, 'insight job')} (${plural(q.turns, 'turn')}, ${q.sessions} session ${q.sessions === 1 ? 'summary' : 'summaries'}) for ${termLine(how.model)}: ` +
      `about ${roughly(q.inputTokens).toLocaleString('en-US')} input tokens, plus the answers. The running kx runs them, else the next kx start.`,
    'To import without them: kx import codex --no-insight (KX_INSIGHT=off in proxy.env keeps queued jobs waiting).',
  ];
}

export interface ImportIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Where the person runs the command: paths they give are relative to it. */
  cwd: string;
  /** kx's own folder, where proxy.env and the documents are (every command uses the same store); default `cwd`. */
  kxRoot?: string;
  /** Told of what is suspicious in the settings (an unknown key in proxy.env). */
  warn?: (line: string) => void;
  /** Where imported sessions go for insights (tests observe it); by default the insight engine's queue. */
  queueInsightsFor?: (session: ImportedSession) => void;
}

/** Runs the command; resolves to the exit code. */
export async function importCommand(argv: readonly string[], io: ImportIo): Promise<number> {
  const args = parseImportArgs(argv, codexHome(io.env), io.cwd);
  const root = io.kxRoot ?? io.cwd;
  const { settings } = readSettings({ argv: args.settingsArgv, env: io.env, cwd: root, flagsCwd: io.cwd, usage: IMPORT_USAGE, ...(io.warn ? { warn: io.warn } : {}) });
  const documentsDir = path.resolve(root, settings.KX_DOCUMENTS_DIR);
  const prompts = loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA });
  const insight = importInsight(settings.KX_INSIGHT, args.queueInsights, jobCost(prompts, settings.KX_INSIGHT_MAX_INPUT_TOKENS));
  const write = (s: string): void => void io.out.write(s);
  const tty = io.out.isTTY === true;
  let lastDraw = 0;
  try {
    findRolloutFiles(args.paths, { optional: args.defaultPaths });
  } catch (err) {
    if (err instanceof MissingRolloutPath) throw new ConfigError(err.message);
    throw err;
  }
  write(`kx import codex: ${args.paths.join(', ')} → ${documentsDir}\n`);
  const result = await importCodexRollouts({
    paths: args.paths,
    pathsOptional: args.defaultPaths,
    documentsDir,
    queueInsights: args.queueInsights,
    ...(args.since ? { since: args.since } : {}),
    inTransaction: insight.inTransaction,
    queueInsightsFor: (session, db) => {
      insight.queueInsightsFor(session, db);
      io.queueInsightsFor?.(session);
    },
    onProgress: (p) => {
      const now = Date.now();
      if (!tty || (now - lastDraw < 100 && p.filesDone < p.files)) return;
      lastDraw = now;
      write(progressBar(p));
    },
    onSession: (s) => {
      if (!tty) write(sessionLine(s) + '\n');
    },
  });
  if (tty) write('\n');
  for (const line of summary(result)) write(line + '\n');
  if (result.files > 0) for (const line of jobsNotice(insight.queued(), { queue: args.queueInsights, mode: settings.KX_INSIGHT, model: settings.KX_INSIGHT_MODEL })) write(line + '\n');
  // Nothing imported from what was given is a failure too, not a success with a note.
  return result.failed.length > 0 || (result.files === 0 && result.unsupported.length > 0) ? 1 : 0;
}
