// kx mode and kx approve: talk to the running kx's API with the console token, for people who live in
// the terminal. Argument parsing and printing only; the decisions are the API's.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { approvalList, approvalView, modesView, type ApprovalView, type DecisionBody, type ModeBody, type ModesView } from '../contracts/learn.js';
import { hasHidden, visibleText } from '../learn/visible-text.js';
import { CliError, type KxClient } from './kx-client.js';
import { localTime, termLine, termText } from './terminal-text.js';

export function describeModes(m: ModesView): string {
  const lines = [`global: ${m.global}`];
  for (const [p, mode] of Object.entries(m.projects)) lines.push(`project ${termLine(p)}: ${mode}`);
  for (const [s, mode] of Object.entries(m.sessions)) lines.push(`session ${termLine(s)}: ${mode}`);
  return lines.join('\n');
}

export interface ModeArgs {
  mode?: string;
  project?: string;
  session?: string;
}

/** kx mode [learn|capture] [--project P | --session S]: kx takes a session or a project by a unique start of its id or name too. */
export async function modeCommand(args: ModeArgs, client: KxClient, out: (s: string) => void): Promise<void> {
  const { mode, project, session } = args;
  if (mode === undefined) {
    if (project !== undefined || session !== undefined) throw new CliError('say which mode: kx mode learn|capture --project P | --session S');
    return out(describeModes(await client.get('/api/mode', modesView)));
  }
  if (mode !== 'learn' && mode !== 'capture') throw new CliError(`the mode is learn or capture, got ${JSON.stringify(termLine(mode))}`);
  if (project !== undefined && session !== undefined) throw new CliError('give --project or --session, not both');
  const body: ModeBody = { mode };
  // A directory here (`.`, `../shop`) names the project of that working directory, known yet or not.
  if (project !== undefined) body.project = isDirectory(project) ? path.resolve(project) : project;
  if (session !== undefined) body.session = session;
  // With no scope, capture ends learn mode everywhere (modes.ts): say which settings that turned off.
  const before = project === undefined && session === undefined && mode === 'capture' ? await client.get('/api/mode', modesView) : null;
  const after = await client.post('/api/mode', modesView, body);
  if (before) {
    const ended = learnSettingsEnded(before, after);
    if (ended.length) out(`learn mode turned off for ${ended.join(', ')}`);
  }
  out(describeModes(after));
}

/** The project and session settings that were learn before and are gone after. */
function learnSettingsEnded(before: ModesView, after: ModesView): string[] {
  const gone = (kind: 'project' | 'session', was: Record<string, string>, now: Record<string, string>): string[] =>
    Object.entries(was).flatMap(([id, m]) => (m === 'learn' && now[id] !== 'learn' ? [`${kind} ${termLine(id)}`] : []));
  return [...gone('project', before.projects, after.projects), ...gone('session', before.sessions, after.sessions)];
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The diff in git's word-diff notation: [-removed-]{+added+}. */
export const diffText = (a: ApprovalView): string => a.diff.map((d) => (d.op === 'same' ? d.text : d.op === 'add' ? `{+${d.text}+}` : `[-${d.text}-]`)).join('');

const INDENT = '\n               ';

/**
 * A held turn for a terminal: captured and model text with control characters escaped (no escape
 * sequence reaches the screen) and invisible or bidirectional ones shown as ⟨U+XXXX⟩ (visible-text.ts).
 */
export function describeApproval(a: ApprovalView, timeZone?: string): string {
  const block = (s: string): string => termText(visibleText(s)).replace(/\n/g, INDENT);
  const line = (s: string): string => termLine(visibleText(s));
  return [
    `${termLine(a.id)}  session ${termLine(a.sessionId)}${a.project ? `  project ${termLine(a.project)}` : ''}  waiting since ${localTime(a.created, timeZone)}`,
    `  you typed:   ${block(a.original)}`,
    ...proposalLines(a, block),
    ...(a.context !== null && a.context !== undefined ? [`  with context sent before it (accept or edit sends it, reject does not):${INDENT}${block(a.context)}`] : []),
    // One sentence: a newline in it could forge the lines above.
    ...(a.reason ? [`  why:         ${line(a.reason)}`] : []),
    ...a.gaps.map((g) => `  gap:         ${termLine(g.gapId)} ${line(g.topic)}`),
  ].join('\n');
}

/** What kx proposes and how it differs; a turn held with nothing changed (KX_LEARN_HOLD=always) says so plainly. */
function proposalLines(a: ApprovalView, block: (s: string) => string): string[] {
  const proposal = a.rewrite ?? a.original;
  if (proposal === a.original) {
    const hasContext = a.context !== null && a.context !== undefined;
    return [hasContext ? '  kx proposes: your message as you typed it, with context sent before it' : '  kx has nothing to add: a or r sends it as you typed it, e opens it in $EDITOR first, s leaves it waiting'];
  }
  return [
    `  kx proposes: ${block(proposal)}`,
    ...(hasHidden(proposal) ? ['  warning:     the proposal holds invisible or direction-changing characters, shown as ⟨U+…⟩'] : []),
    `  changes:     ${block(diffText(a))}`,
  ];
}

/** Opens the text in $EDITOR (vi if unset) and returns what the human saved. */
export function editInEditor(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-approve-'));
  const file = path.join(dir, 'message.md');
  fs.writeFileSync(file, text, { mode: 0o600 });
  try {
    const editor = env.VISUAL || env.EDITOR || 'vi';
    const r = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    if (r.status !== 0) throw new CliError(`${editor} exited with ${r.status ?? r.signal}`);
    return fs.readFileSync(file, 'utf8').replace(/\n$/, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ApproveIo {
  out: (s: string) => void;
  /** The person's answer; undefined once standard input has closed (nothing more will come). */
  ask: (question: string) => Promise<string | undefined>;
  edit: (text: string) => string;
}

/**
 * kx approve                      lists the waiting turns and asks about each
 * kx approve ID accept|reject     decides one
 * kx approve ID edit [TEXT]       sends TEXT, or what you save in $EDITOR
 */
export async function approveCommand(positionals: readonly string[], client: KxClient, io: ApproveIo): Promise<void> {
  const [id, action, ...rest] = positionals;
  const decide = async (approvalId: string, body: DecisionBody) => {
    const a = await client.post(`/api/approvals/${encodeURIComponent(approvalId)}`, approvalView, body);
    io.out(`${termLine(a.id)}: ${a.status}`);
  };
  if (id !== undefined) {
    if (action !== 'accept' && action !== 'reject' && action !== 'edit') throw new CliError('usage: kx approve [ID accept|reject|edit [TEXT]]');
    if (action !== 'edit') return decide(id, { decision: action });
    const current = (await client.get('/api/approvals?status=pending', approvalList)).approvals.find((a) => a.id === id);
    return decide(id, { decision: 'edit', text: rest.length ? rest.join(' ') : io.edit(current?.rewrite ?? current?.original ?? '') });
  }
  const { approvals } = await client.get('/api/approvals?status=pending', approvalList);
  if (approvals.length === 0) return io.out('No turn is waiting.');
  io.out(`${approvals.length === 1 ? '1 turn is' : `${approvals.length} turns are`} waiting. For each, type a letter and press Enter: a sends kx's version, e opens it in $EDITOR first, r sends what you typed, s (or Enter alone) leaves it waiting.`);
  for (const a of approvals) {
    io.out(describeApproval(a));
    const reply = await io.ask('  [a]ccept, [e]dit, [r]eject, [s]kip? ');
    // Standard input closed (`echo s | kx approve`, Ctrl-D): the rest stay waiting.
    if (reply === undefined) return io.out('  no more answers (standard input closed); the rest stay waiting');
    const answer = reply.trim().toLowerCase();
    if (answer.startsWith('a')) await decide(a.id, { decision: 'accept' });
    else if (answer.startsWith('e')) await decide(a.id, { decision: 'edit', text: io.edit(a.rewrite ?? a.original) });
    else if (answer.startsWith('r')) await decide(a.id, { decision: 'reject' });
    else io.out('  skipped');
  }
}

/** Questions on the terminal; an answer of undefined once standard input closes, never a crash. */
export function terminalIo(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): ApproveIo & { close: () => void } {
  const rl = readline.createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  let closed = false;
  // Lines that arrive before a question is asked (piped input) wait here for it.
  const lines: string[] = [];
  let waiter: ((line: string | undefined) => void) | undefined;
  rl.on('line', (line) => {
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(line);
    } else lines.push(line);
  });
  rl.on('close', () => {
    closed = true;
    waiter?.(undefined);
    waiter = undefined;
  });
  const ask = (q: string): Promise<string | undefined> => {
    output.write(q);
    if (lines.length) return Promise.resolve(lines.shift());
    if (closed) {
      output.write('\n');
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => (waiter = resolve));
  };
  return { out: (s) => void output.write(s + '\n'), ask, edit: (t) => editInEditor(t), close: () => rl.close() };
}
