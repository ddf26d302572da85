// Vite build of the console. `base: './'`: every URL in the build is relative, so the same dist/
// works under the broker's /console/ and from any static server. Standalone against a broker:
// MQ_BROKER_URL=http://host:port pnpm --filter @mq/dashboard dev (or preview after a build) proxies
// the API and its WebSockets there, so the page stays same-origin.
import { defineConfig } from 'vite';

const broker = process.env.MQ_BROKER_URL ?? 'http://127.0.0.1:8080';
// /v1: the delay store and traces; the schema registry's routes sit at the listener's root.
const plain = { target: broker, changeOrigin: true };
const proxy = { '/v3': { ...plain, ws: true }, '/v1': plain, '/openapi.json': plain, '/subjects': plain, '/schemas': plain, '/config': plain };

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: { proxy },
  preview: { proxy },
});
