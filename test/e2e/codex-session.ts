// One scripted Codex session, played twice: straight to the fake upstream, then through kx.
// Turn 1 asks to list the files (the model calls a shell tool that Codex runs), turn 2 is
// `codex exec resume --last` with a follow-up question.

import fs from 'node:fs';
import path from 'node:path';
import { startFakeUpstream, type FakeUpstream } from '../../harness/fake-upstream/server.js';
import { startHarness, type Harness } from '../support/kx-harness.js';
import { sessionFolder } from '../support/recording.js';
import type { SessionDetail } from '../../src/store/session-reader.js';
import { codexHomeWithApiKey, EXEC_FLAGS, normalizeTranscript, runCodex, type CodexRun } from '../helpers/codex-cli.js';

export const API_KEY = ['sk-proj-', 'e2eTestKey0123456789abcdefghijklmnop'].join('');
export const FIRST_PROMPT = 'list the files here';
export const FOLLOW_UP = 'which of those is the Python file?';

export interface PlayedSession {
  turn1: CodexRun;
  turn2: CodexRun;
  home: string;
}

/** Plays both turns against `baseUrl` with the given provider flags. */
export async function playSession(project: string, provider: (baseUrl: string) => string[], baseUrl: string, env: Record<string, string> = {}): Promise<PlayedSession> {
  const home = await codexHomeWithApiKey(API_KEY);
  const turn1 = await runCodex({ home, cwd: project, env, args: [...EXEC_FLAGS, ...provider(baseUrl), FIRST_PROMPT] });
  const turn2 = await runCodex({ home, cwd: project, env, args: [...EXEC_FLAGS, ...provider(baseUrl), 'resume', '--last', FOLLOW_UP] });
  return { turn1, turn2, home };
}

export function transcript(played: PlayedSession): string {
  const strip = { [played.home]: '<home>' };
  return [played.turn1, played.turn2].map((r) => `${r.code}\n${r.stdout}\n${normalizeTranscript(r.stderr, strip)}`).join('\n----\n');
}

export interface E2eWorld {
  project: string;
  direct: FakeUpstream;
  h: Harness;
  close(): Promise<void>;
}

export async function startWorld(project: string): Promise<E2eWorld> {
  const direct = await startFakeUpstream();
  const h = await startHarness();
  return {
    project,
    direct,
    h,
    close: async () => {
      await h.close();
      await direct.close();
    },
  };
}

export function jsonlLines(documentsDir: string, sessionId: string, file: string): Array<Record<string, unknown>> {
  const text = fs.readFileSync(path.join(sessionFolder(documentsDir, sessionId), file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface PlayedBothWays {
  world: E2eWorld;
  direct: PlayedSession;
  viaKx: PlayedSession;
  /** What kx stored for the session Codex printed. */
  session: SessionDetail;
}

/** The same two-turn session, straight to a fake upstream and then through kx to another. */
export async function playBothWays(project: string, provider: (baseUrl: string) => string[], env: Record<string, string> = {}): Promise<PlayedBothWays> {
  const world = await startWorld(project);
  const direct = await playSession(project, provider, world.direct.baseUrl, env);
  const viaKx = await playSession(project, provider, world.h.proxyBase, env);
  await world.h.kx.settle();
  const session = world.h.kx.reader.getSession(viaKx.turn1.sessionId ?? '')!;
  return { world, direct, viaKx, session };
}
