// A WebSocket client that behaves like Codex: one socket, response.create frames, events back.

import WebSocket from 'ws';

export interface WsSession {
  ws: WebSocket;
  upgradeHeaders: Record<string, string | string[] | undefined>;
  /** Sends a response.create and resolves with its events once a terminal event (or close) arrives. */
  create(body: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
  closed: Promise<{ code: number; reason: string }>;
}

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

export function openWs(url: string, headers: Record<string, string>): Promise<WsSession> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    let upgradeHeaders: WsSession['upgradeHeaders'] = {};
    ws.on('upgrade', (res) => (upgradeHeaders = res.headers));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    let waiter: { events: Array<Record<string, unknown>>; done: (e: Array<Record<string, unknown>>) => void } | undefined;
    ws.on('message', (data) => {
      if (!waiter) return;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        event = { type: 'unparseable', raw: data.toString() };
      }
      waiter.events.push(event);
      if (TERMINAL.has(String(event.type))) {
        const w = waiter;
        waiter = undefined;
        w.done(w.events);
      }
    });
    ws.on('close', () => {
      const w = waiter;
      waiter = undefined;
      w?.done(w.events);
    });
    ws.once('open', () =>
      resolve({
        ws,
        upgradeHeaders,
        closed,
        create: (body) =>
          new Promise((done) => {
            waiter = { events: [], done };
            ws.send(JSON.stringify({ type: 'response.create', ...body }));
          }),
      }),
    );
  });
}
