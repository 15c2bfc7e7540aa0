// Builds the console into ui/dist with hashed asset names; kx serves it under /ui/ (src/api/console-page.ts).
// `npm run dev:ui` (scripts/dev-ui.ts) starts Vite's dev server with a proxy to a running kx.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be a module of its own for browsers kx does not target; strict CSP needs no inline script anyway.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
});
