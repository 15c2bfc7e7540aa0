// The real Codex CLI over HTTP+SSE through kx: a custom provider without WebSocket support (every
// request resends the whole history), and the built-in provider falling back after kx's 426.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProvider, codexHomeWithApiKey, demoProject, EXEC_FLAGS, httpProvider, runCodex } from '../helpers/codex-cli.js';
import { API_KEY, FIRST_PROMPT, FOLLOW_UP, jsonlLines, playBothWays, startWorld, transcript, type E2eWorld, type PlayedSession } from './codex-session.js';
import type { SessionDetail } from '../../src/store/session-reader.js';

const ENV = { KX_E2E_KEY: API_KEY };
const provider = (baseUrl: string) => httpProvider(baseUrl, 'KX_E2E_KEY');

describe('Codex CLI over HTTP+SSE through kx', () => {
  let world: E2eWorld;
  let direct: PlayedSession;
  let viaKx: PlayedSession;
  let session: SessionDetail;

  beforeAll(async () => {
    ({ world, direct, viaKx, session } = await playBothWays(demoProject(), provider, ENV));
  }, 120_000);
  afterAll(async () => world?.close());

  it('runs both turns and the tool call, and Codex prints the answer built from the real tool output', () => {
    expect(viaKx.turn1.code).toBe(0);
    expect(viaKx.turn1.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
    expect(viaKx.turn2.stdout.trim()).toBe(`You said: ${FOLLOW_UP}`);
  });

  it('changes nothing Codex prints compared with talking to the upstream directly', () => {
    expect(transcript(viaKx)).toBe(transcript(direct));
  });

  it('forwards every request byte for byte over HTTP, as many as a direct run sends', () => {
    const upstream = world.h.fake.requests.filter((r) => r.path.startsWith('/v1/responses'));
    expect(upstream.every((r) => r.transport === 'http')).toBe(true);
    expect(upstream.length).toBe(world.direct.requests.filter((r) => r.path.startsWith('/v1/responses')).length);
    expect(upstream[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('stores the two turns in order, each item once, although every request resent the history', () => {
    expect(session.turns.map((t) => t.items.map((i) => i.kind))).toEqual([
      ['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message'],
      ['human_message', 'assistant_message'],
    ]);
    const all = [...session.preamble, ...session.turns.flatMap((t) => t.items)];
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    // Each later request carried the earlier items again; none of them was stored twice.
    expect(session.requests.slice(1).every((r) => r.skippedItems > 0)).toBe(true);
    expect(session.requests.map((r) => r.transport)).toEqual(['http', 'http', 'http']);
  });

  it('writes the human messages to user_actions.jsonl once each', () => {
    const user = jsonlLines(world.h.config.documentsDir, session.id, 'user_actions.jsonl');
    expect(user.map((l) => l.text)).toEqual([FIRST_PROMPT, FOLLOW_UP]);
  });
});

describe('Codex CLI when the upstream refuses WebSocket', () => {
  let world: E2eWorld;
  beforeAll(async () => {
    world = await startWorld(demoProject());
  });
  afterAll(async () => world?.close());

  it('gets 426 from kx, falls back to HTTP+SSE at once, and the turn is recorded', async () => {
    world.h.fake.enqueue({ kind: 'ws-refuse', status: 404 });
    const home = await codexHomeWithApiKey(API_KEY);
    const run = await runCodex({ home, cwd: world.project, args: [...EXEC_FLAGS, ...builtInProvider(world.h.proxyBase), FIRST_PROMPT] });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
    // No retries of the upgrade: one refusal, then HTTP only.
    expect(run.stderr).not.toMatch(/Reconnecting/i);
    const upstream = world.h.fake.requests.filter((r) => r.path.startsWith('/v1/responses'));
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.every((r) => r.transport === 'http')).toBe(true);
    await world.h.kx.settle();
    const session = world.h.kx.reader.getSession(run.sessionId ?? '')!;
    expect(session.turns[0]!.items.map((i) => i.kind)).toEqual(['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message']);
  });
});
