// npm run dev:ui: Vite's dev server for the console with hot reload, its /api calls proxied to the kx that
// `npm start` runs (found through the same proxy.env / KX_* settings, token included, so no cookie is needed).

import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { kxUrl, loadConfig } from '../src/config/config.js';

const config = loadConfig({ argv: process.argv.slice(2) });
const kx = kxUrl(config.host, config.port);

const server = await createServer({
  configFile: fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url)),
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: kx, headers: { authorization: `Bearer ${config.uiToken}` } },
    },
  },
});
await server.listen();
console.log(`console dev server: ${server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/ui/'}  (API from ${kx})`);
