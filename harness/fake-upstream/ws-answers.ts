// The fake upstream's WebSocket side: the upgrade (refused when a scenario says so) and the
// response.create frames, answered one at a time, in order, like one Codex turn after another.

import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isObject, parseJson } from '../../src/protocol/json-guards.js';
import { answerEvents } from './http-answers.js';
import { sendEvents, wsSink } from './send-events.js';
import type { FakeState } from './state.js';

export const RESPONSES_PATHS = new Set(['/v1/responses', '/backend-api/codex/responses']);

export interface WsCounters {
  connections: number;
  closed: number;
  closeCodes: number[];
}


export function createWsAnswers(state: FakeState, counters: WsCounters): { wss: WebSocketServer; upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void } {
  // Picks the last subprotocol a client offers, so a proxy that answers with its own choice shows.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => [...offered].at(-1) ?? false });
  let turnStateN = 0;
  wss.on('headers', (headers) => {
    turnStateN += 1;
    headers.push('openai-model: gpt-6.1-sol', `x-codex-turn-state: ts_fake_ws_${turnStateN}`);
  });

  async function answerFrame(ws: WebSocket, upgrade: http.IncomingMessage, raw: Buffer, isBinary: boolean): Promise<void> {
    const body = isBinary ? undefined : parseJson(raw.toString('utf8'));
    state.record({ transport: 'ws', method: 'GET', path: upgrade.url ?? '', headers: upgrade.headers, body, rawBody: raw });
    if (!isObject(body) || body.type !== 'response.create') {
      ws.send(JSON.stringify({ type: 'error', status: 400, error: { type: 'invalid_request_error', code: 'invalid_frame', message: 'Expected a response.create frame.' } }));
      return;
    }
    const scenario = state.takeModelScenario();
    if (scenario?.kind === 'ws-invalid-frame') {
      // A frame with a reserved opcode: the receiver must fail the connection.
      const sock = (ws as unknown as { _socket: Socket })._socket;
      sock.write(Buffer.from([0x83, 0x00]));
      return;
    }
    const paceMs = state.shape?.paceMs ?? 0;
    await sendEvents(wsSink(ws, paceMs > 0), answerEvents(state, body, scenario, state.nextCtx()), scenario, paceMs);
  }

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refuse = state.take((s) => s.kind === 'ws-refuse');
    const path = (req.url ?? '').split('?')[0];
    if (refuse?.kind === 'ws-refuse' || !RESPONSES_PATHS.has(path ?? '')) {
      const status = refuse?.kind === 'ws-refuse' ? refuse.status : 404;
      const body = JSON.stringify({ error: { message: 'WebSocket refused by the fake upstream', type: 'invalid_request_error' } });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      counters.connections += 1;
      ws.on('close', (code) => {
        counters.closed += 1;
        counters.closeCodes.push(code);
      });
      let chain = Promise.resolve();
      ws.on('message', (data, isBinary) => {
        const raw = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        chain = chain.then(() => answerFrame(ws, req, raw, isBinary)).catch(() => ws.terminate());
      });
    });
  };
  return { wss, upgrade };
}
