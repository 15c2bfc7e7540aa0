// The real Codex CLI over its default transport (WebSocket), through kx, against the fake upstream.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProvider, demoProject } from '../helpers/codex-cli.js';
import { API_KEY, FIRST_PROMPT, FOLLOW_UP, jsonlLines, playBothWays, transcript, type E2eWorld, type PlayedSession } from './codex-session.js';
import type { SessionDetail } from '../../src/store/session-reader.js';

describe('Codex CLI over WebSocket through kx', () => {
  let world: E2eWorld;
  let direct: PlayedSession;
  let viaKx: PlayedSession;
  let session: SessionDetail;

  beforeAll(async () => {
    ({ world, direct, viaKx, session } = await playBothWays(demoProject(), builtInProvider));
  }, 120_000);
  afterAll(async () => world?.close());

  it('runs both turns and the tool call, and Codex prints the answer built from the real tool output', () => {
    expect(viaKx.turn1.code).toBe(0);
    expect(viaKx.turn1.stderr).toContain("/bin/bash -c 'ls -la'");
    expect(viaKx.turn1.stdout.trim()).toBe('The directory contains: README.md, data.csv, hello.py.');
    expect(viaKx.turn2.code).toBe(0);
    expect(viaKx.turn2.stdout.trim()).toBe(`You said: ${FOLLOW_UP}`);
  });

  it('changes nothing Codex prints compared with talking to the upstream directly', () => {
    expect(transcript(viaKx)).toBe(transcript(direct));
  });

  it('used the WebSocket transport, one upstream socket per Codex socket', () => {
    const upstream = world.h.fake.requests;
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.every((r) => r.transport === 'ws')).toBe(true);
    expect(world.h.fake.wsConnections).toBe(world.direct.wsConnections);
    expect(upstream.map((r) => (r.body as { input?: unknown[] }).input?.length)).toEqual(
      world.direct.requests.map((r) => (r.body as { input?: unknown[] }).input?.length),
    );
  });

  it('passes the API key upstream and never stores it', () => {
    expect(world.h.fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const dump = JSON.stringify(world.h.kx.store.db.prepare('SELECT * FROM items').all()) + JSON.stringify(world.h.kx.store.db.prepare('SELECT * FROM requests').all());
    expect(dump).not.toContain(API_KEY);
  });

  it('stores the session under the id Codex printed, with its two turns in order', () => {
    expect(session).toBeDefined();
    expect(session.client).toBe('codex_exec');
    expect(session.turns.map((t) => t.items.map((i) => i.kind))).toEqual([
      ['human_message', 'reasoning', 'tool_call', 'tool_output', 'assistant_message'],
      ['human_message', 'assistant_message'],
    ]);
    expect(session.turns.map((t) => t.status)).toEqual(['completed', 'completed']);
    expect(session.turns[0]!.items[0]!.text).toBe(FIRST_PROMPT);
    expect(session.turns[1]!.items[0]!.text).toBe(FOLLOW_UP);
  });

  it('stores the tool call Codex ran with its real output', () => {
    const [call, output] = session.turns[0]!.items.filter((i) => i.kind === 'tool_call' || i.kind === 'tool_output');
    expect(call).toMatchObject({ toolName: 'exec', callId: output!.callId });
    expect(call!.arguments).toContain('ls -la');
    expect(output!.output).toContain('hello.py');
    expect(output!.output).toContain('data.csv');
  });

  it('stores each item once even though the resumed turn resent the history', () => {
    const all = [...session.preamble, ...session.turns.flatMap((t) => t.items)];
    const keys = all.map((i) => `${i.kind}|${i.text ?? ''}|${i.callId ?? ''}|${i.arguments ?? ''}|${i.output ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const resumed = session.requests.filter((r) => r.requestKind !== 'prewarm').at(-1)!;
    expect(resumed.skippedItems).toBeGreaterThan(0);
    expect(resumed.newItems).toBe(1);
  });

  it('writes the human messages and the agent actions to the session files', () => {
    const dir = world.h.config.documentsDir;
    const user = jsonlLines(dir, session.id, 'user_actions.jsonl');
    expect(user.map((l) => l.text)).toEqual([FIRST_PROMPT, FOLLOW_UP]);
    const agent = jsonlLines(dir, session.id, 'agent_actions.jsonl');
    expect(agent.map((l) => l.kind)).toEqual(expect.arrayContaining(['reasoning', 'tool_call', 'tool_output', 'assistant_message', 'usage']));
    for (const line of [...user, ...agent]) {
      expect(line).toMatchObject({ session_id: session.id, ts: expect.any(String), request_id: expect.any(String), kind: expect.any(String) });
      // Only the prewarm's usage comes before the first turn.
      if (line.kind !== 'usage') expect(line.turn_id).toEqual(expect.any(String));
      else expect(line).toHaveProperty('turn_id');
    }
  });
});
