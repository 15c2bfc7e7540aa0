// The review console: the Lit app in ui/, built by Vite into ui/dist (npm install, npm start and npm test build
// it). index.html is served at /ui/ behind the token; its hashed assets under /ui/assets/ are cached for a year,
// since a new build gives them new names.

import fs from 'node:fs';
import path from 'node:path';
import { UI_DIST } from '../package-paths.js';
import type { Context } from 'hono';


const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kx</title></head>
<body><h1>kx console is not built</h1><p>Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it), then reload.</p></body></html>`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** The built index.html, read on each load so a rebuild shows without restarting kx. */
export function consolePage(dist = UI_DIST): string {
  try {
    return fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  } catch {
    return NOT_BUILT;
  }
}

/** GET /ui/assets/:file — only plain file names inside the build's assets folder. */
export function consoleAsset(dist = UI_DIST) {
  return (c: Context) => {
    const name = c.req.param('file') ?? '';
    const type = TYPES[path.extname(name)];
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.') || !type) return c.notFound();
    let body: Buffer;
    try {
      body = fs.readFileSync(path.join(dist, 'assets', name));
    } catch {
      return c.notFound();
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'private, max-age=31536000, immutable' });
  };
}
