// Replays the agent CLIs' recorded requests (test/fixtures/<client>-<version>/, written by
// scripts/capture-agent-fixtures.ts) through a Recorder, each answered as the fake upstream answered it.

import fs from 'node:fs';
import path from 'node:path';
import { chatChunks, chatCompletion } from '../../harness/fake-upstream/chat.js';
import type { Recording } from './recording.js';
import { playHttp } from './recording.js';

export interface Captured {
  seq: number;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> & { messages?: { role: string; content: unknown }[]; input?: unknown[]; tools?: unknown[] };
}

export function agentFixtures(dir: string): Captured[] {
  const root = path.join('test/fixtures', dir);
  return fs
    .readdirSync(root)
    .filter((f) => f.endsWith('-request.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as Captured);
}

/** Plays one Chat Completions request, answered by the fake upstream's rule (streamed when the client asked). */
export function playChat(r: Recording, c: Captured): void {
  const n = String(c.seq).padStart(2, '0');
  const body = Buffer.from(JSON.stringify(c.body));
  if (c.body.stream !== true) {
    const answer = Buffer.from(JSON.stringify(chatCompletion(c.body, n, 1_800_000_000)));
    playHttp(r.recorder, c.url, c.headers, body, { status: 200, contentType: 'application/json', body: answer });
    return;
  }
  const chunks = chatChunks(c.body, n, 1_800_000_000);
  const sse = Buffer.from(chunks.map((x) => `data: ${JSON.stringify(x)}\n\n`).join('') + 'data: [DONE]\n\n');
  playHttp(r.recorder, c.url, c.headers, body, { status: 200, contentType: 'text/event-stream', body: sse });
}

/** Plays one Responses request answered with these output items, as a JSON response. */
export function playResponses(r: Recording, c: Pick<Captured, 'url' | 'headers' | 'body'>, id: string, output: unknown[]): void {
  const answer = { id, object: 'response', status: 'completed', model: 'gpt-5', output, usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } };
  playHttp(r.recorder, c.url, c.headers, Buffer.from(JSON.stringify(c.body)), { status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify(answer)) });
}

/** Each stored session's human messages, oldest session first. */
export function humansBySession(r: Recording): string[][] {
  return r.reader
    .listSessions(50)
    .map((s) => r.reader.getSession(s.id)!)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || b.turns.length - a.turns.length)
    .map((s) => [...s.preamble, ...s.turns.flatMap((t) => t.items)].filter((i) => i.kind === 'human_message').map((i) => i.text ?? ''));
}
