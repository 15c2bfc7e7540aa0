import { afterEach, describe, expect, it } from 'vitest';
import type { WsObserver } from '../../src/proxy/traffic-observer.js';
import { fixtureFrames, type WsFrame } from '../support/fixtures.js';
import { info, openRecording, type Recording } from '../support/recording.js';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../support/fixtures.js';

function upgradeHeaders(dir: string, n: string): Record<string, string> {
  return (JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, `${n}-ws-upgrade.json`), 'utf8')) as { headers: Record<string, string> }).headers;
}

function playWs(r: Recording, dir: string, n: string): void {
  const obs = r.recorder.ws(info('/v1/responses', upgradeHeaders(dir, n), 'ws')) as WsObserver;
  obs.opened();
  for (const f of fixtureFrames(dir, n) as WsFrame[]) {
    if (f.kind === 'close') obs.closed(1006, '', f.dir === 'client->server' ? 'client' : 'upstream');
    else if (f.kind === 'text') {
      const text = JSON.stringify(f.data);
      if (f.dir === 'client->server') obs.clientFrame(text);
      else obs.serverFrame(Buffer.from(text), false);
    }
  }
}

describe('Recorder over WebSocket', () => {
  let r: Recording;
  afterEach(() => r?.close());

  it('stores a turn with a tool round trip from prewarm, delta input and previous_response_id', async () => {
    r = openRecording();
    playWs(r, 'websocket', '01');
    await r.settle();
    const [summary] = r.reader.listSessions();
    const s = r.reader.getSession(summary!.id)!;
    expect(s.id).toBe('01a20e12-dd93-79d3-9d2d-d13565b4eb4d');
    expect(s.identifiedBy).toBe('client_metadata');
    expect(s.requests.map((q) => q.requestKind)).toEqual(['prewarm', 'turn', 'turn']);
    expect(s.requests.every((q) => q.transport === 'ws' && q.outcome === 'completed')).toBe(true);
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]!.items.map((i) => `${i.direction}:${i.kind}`)).toEqual([
      'input:human_message',
      'output:reasoning',
      'output:tool_call',
      'input:tool_output',
      'output:assistant_message',
    ]);
    expect(s.turns[0]!.status).toBe('completed');
  });

  it('keeps one session across a resumed process that resends the full history', async () => {
    r = openRecording();
    playWs(r, 'websocket', '01');
    playWs(r, 'websocket', '02');
    await r.settle();
    const sessions = r.reader.listSessions();
    expect(sessions).toHaveLength(1);
    const s = r.reader.getSession(sessions[0]!.id)!;
    expect(s.turns).toHaveLength(2);
    expect(s.turns[1]!.items.map((i) => i.kind)).toEqual(['human_message', 'assistant_message']);
    // the resend's 12 history items were already stored
    expect(s.requests.at(-1)).toMatchObject({ newItems: 1, skippedItems: 11 });
  });

  it('records two user turns on one socket', async () => {
    r = openRecording();
    playWs(r, 'websocket-two-turns-one-connection', '01');
    await r.settle();
    const s = r.reader.getSession(r.reader.listSessions()[0]!.id)!;
    expect(s.turns).toHaveLength(2);
    expect(s.client).toBe('probe');
  });

  it('records previous_response_not_found and stores the full resend once', async () => {
    r = openRecording();
    playWs(r, 'ws-previous-response-not-found', '01');
    playWs(r, 'ws-previous-response-not-found', '02');
    await r.settle();
    const s = r.reader.getSession(r.reader.listSessions()[0]!.id)!;
    const failed = s.requests.find((q) => q.outcome === 'error');
    expect(failed?.error).toMatchObject({ status: 400, code: 'previous_response_not_found' });
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]!.items.filter((i) => i.kind === 'human_message')).toHaveLength(1);
  });

  it('marks a response cut by a client disconnect as aborted', async () => {
    r = openRecording();
    const obs = r.recorder.ws(info('/v1/responses', upgradeHeaders('websocket', '01'), 'ws'))!;
    const frames = fixtureFrames('websocket', '01');
    for (const f of frames.slice(0, 8)) {
      if (f.kind !== 'text') continue;
      if (f.dir === 'client->server') obs.clientFrame(JSON.stringify(f.data));
      else obs.serverFrame(JSON.stringify(f.data), false);
    }
    obs.closed(1006, '', 'client');
    await r.settle();
    const s = r.reader.getSession(r.reader.listSessions()[0]!.id)!;
    expect(s.requests.at(-1)).toMatchObject({ outcome: 'aborted' });
  });
});
