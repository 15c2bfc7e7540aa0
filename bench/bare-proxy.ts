// The floor for any Node proxy: forwards HTTP and WebSocket to the upstream with nothing else —
// no capture, no header rewriting beyond hop-by-hop, no hooks. kx's figures are read against it.
// Run as its own process: node --import tsx bench/bare-proxy.ts --upstream http://127.0.0.1:PORT [--port 0]

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const upstream = new URL(arg('--upstream') ?? 'http://127.0.0.1:9100');
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function withoutHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

// Same agent settings as kx's forwarder, so connection reuse is not what the comparison measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });

const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
  const headers = withoutHop(req.headers);
  headers.host = upstream.host;
  const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, withoutHop(upRes.headers));
    upRes.pipe(res);
    upRes.on('close', () => {
      if (!upRes.complete) res.destroy();
    });
  });
  up.setNoDelay(true);
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  req.pipe(up);
});
server.requestTimeout = 0;
server.keepAliveTimeout = 65_000;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => {});
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string' && !HOP.has(k) && !k.startsWith('sec-websocket-')) headers[k] = v;
  }
  const target = `ws://${upstream.host}${req.url ?? '/'}`;
  const up = new WebSocket(target, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  up.once('unexpected-response', () => socket.destroy());
  up.on('error', () => socket.destroy());
  up.once('open', () => {
    wss.handleUpgrade(req, socket, head, (client) => {
      client.on('message', (data, isBinary) => up.send(data as Buffer, { binary: isBinary }));
      up.on('message', (data, isBinary) => client.send(data as Buffer, { binary: isBinary }));
      client.on('close', () => up.close());
      up.on('close', () => client.close());
      client.on('error', () => client.terminate());
    });
  });
});

server.listen(Number(arg('--port') ?? 0), '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  console.log(JSON.stringify({ baseUrl: `http://127.0.0.1:${port}/v1`, port }));
});
const stop = (): void => {
  for (const c of wss.clients) c.terminate();
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
