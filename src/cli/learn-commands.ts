// kx mode and kx approve: talk to the running kx's API with the console token, for people who live in
// the terminal. Argument parsing and printing only; the decisions are the API's.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { ApprovalView, ModesView } from '../api/learn-types.js';
import { hasHidden, visibleText } from '../learn/visible-text.js';
import { CliError, type KxClient } from './kx-client.js';

export function describeModes(m: ModesView): string {
  const lines = [`global: ${m.global}`];
  for (const [p, mode] of Object.entries(m.projects)) lines.push(`project ${p}: ${mode}`);
  for (const [s, mode] of Object.entries(m.sessions)) lines.push(`session ${s}: ${mode}`);
  return lines.join('\n');
}

/** kx mode [learn|capture] [--project P | --session S] */
export async function modeCommand(argv: string[], client: KxClient, out: (s: string) => void): Promise<void> {
  const [mode, flag, target] = argv;
  if (mode === undefined) return out(describeModes(await client.get<ModesView>('/api/mode')));
  if (mode !== 'learn' && mode !== 'capture') throw new CliError('usage: kx mode [learn|capture] [--project P | --session S]');
  if (flag !== undefined && flag !== '--project' && flag !== '--session') throw new CliError(`unknown option ${flag}`);
  if (flag && !target) throw new CliError(`${flag} needs an id`);
  // A directory here (`.`, `../shop`) names the project of that working directory; kx resolves the rest.
  const project = flag === '--project' && target && isDirectory(target) ? path.resolve(target) : target;
  const body = { mode, ...(flag === '--project' ? { project } : flag === '--session' ? { session: target } : {}) };
  out(describeModes(await client.post<ModesView>('/api/mode', body)));
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

/** A text of the card, hidden characters shown as ⟨U+XXXX⟩ (visible-text.ts), lines indented under its label. */
const shown = (text: string): string => visibleText(text).replace(/\n/g, '\n               ');

export function describeApproval(a: ApprovalView): string {
  const proposal = a.rewrite ?? a.original;
  return [
    `${a.id}  session ${a.sessionId}${a.project ? `  project ${a.project}` : ''}  since ${a.created}`,
    `  you typed:   ${shown(a.original)}`,
    `  kx proposes: ${shown(proposal)}`,
    ...(hasHidden(proposal) ? ['  warning:     the proposal holds invisible or direction-changing characters, shown as ⟨U+…⟩'] : []),
    `  changes:     ${shown(diffText(a))}`,
    ...(a.context !== null && a.context !== undefined ? [`  with context sent before it (accept or edit sends it, reject does not):\n               ${shown(a.context)}`] : []),
    ...(a.reason ? [`  why:         ${visibleText(a.reason)}`] : []),
    ...a.gaps.map((g) => `  gap:         ${g.gapId} ${visibleText(g.topic)}`),
  ].join('\n');
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
  ask: (question: string) => Promise<string>;
  edit: (text: string) => string;
}

/**
 * kx approve                      lists the waiting turns and asks about each
 * kx approve ID accept|reject     decides one
 * kx approve ID edit [TEXT]       sends TEXT, or what you save in $EDITOR
 */
export async function approveCommand(argv: string[], client: KxClient, io: ApproveIo): Promise<void> {
  const [id, action, ...rest] = argv;
  const decide = async (approvalId: string, decision: string, text?: string) => {
    const a = await client.post<ApprovalView>(`/api/approvals/${approvalId}`, { decision, ...(text !== undefined ? { text } : {}) });
    io.out(`${a.id}: ${a.status}`);
  };
  if (id !== undefined) {
    if (action !== 'accept' && action !== 'reject' && action !== 'edit') throw new CliError('usage: kx approve [ID accept|reject|edit [TEXT]]');
    if (action !== 'edit') return decide(id, action);
    const current = (await client.get<{ approvals: ApprovalView[] }>('/api/approvals?status=pending')).approvals.find((a) => a.id === id);
    return decide(id, 'edit', rest.length ? rest.join(' ') : io.edit(current?.rewrite ?? current?.original ?? ''));
  }
  const { approvals } = await client.get<{ approvals: ApprovalView[] }>('/api/approvals?status=pending');
  if (approvals.length === 0) return io.out('No turn is waiting.');
  for (const a of approvals) {
    io.out(describeApproval(a));
    const answer = (await io.ask('  [a]ccept, [e]dit, [r]eject, [s]kip? ')).trim().toLowerCase();
    if (answer.startsWith('a')) await decide(a.id, 'accept');
    else if (answer.startsWith('e')) await decide(a.id, 'edit', io.edit(a.rewrite ?? a.original));
    else if (answer.startsWith('r')) await decide(a.id, 'reject');
    else io.out('  skipped');
  }
}

export function terminalIo(): ApproveIo & { close: () => void } {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return { out: (s) => process.stdout.write(s + '\n'), ask: (q) => rl.question(q), edit: (t) => editInEditor(t), close: () => rl.close() };
}
