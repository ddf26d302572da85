// The web console (apps/dashboard's Vite build) as static files on the HTTP listener: /console/ is
// its index.html, /console/assets/<file> its hashed bundles (`/` is the schema registry's). Where the build is:
// `http.console.dir` (--http-console-dir) if set, else an installed @mq/dashboard's dist/, else the
// monorepo's apps/dashboard/dist beside this app; no build found → no routes (the API works alone).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError, type Route } from '@mq/http';
import { ConfigError } from './config-error';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The console build to serve: `configured` when given (it must hold index.html), else the first found. */
export function findConsoleDir(configured: string | undefined): string | undefined {
  if (configured !== undefined) {
    if (!existsSync(join(configured, 'index.html'))) throw new ConfigError(`http.console.dir ${configured} has no index.html (build apps/dashboard first)`);
    return configured;
  }
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(createRequire(import.meta.url).resolve('@mq/dashboard/package.json')), 'dist'));
  } catch {
    // not installed as a package: try the monorepo layout
  }
  // src/ or dist/ of apps/broker → apps/dashboard/dist.
  candidates.push(fileURLToPath(new URL('../../dashboard/dist', import.meta.url)));
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

export function consoleRoutes(dir: string): Route[] {
  const serve = async (file: string, immutable: boolean) => {
    const body = await readFile(join(dir, file)).catch(() => {
      throw HttpError.notFound(`no console file ${file}`);
    });
    return {
      status: 200,
      body,
      contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      headers: { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
    };
  };
  return [
    {
      method: 'GET',
      path: '/console',
      // Static build files (no data): the login form must load before anyone has logged in.
      public: true,
      // The build's URLs are relative (./assets/…): they resolve under /console/ only with the slash.
      handler: (req) => (req.path.endsWith('/') ? serve('index.html', false) : { status: 301, headers: { location: '/console/' } }),
    },
    {
      method: 'GET',
      path: '/console/assets/:file',
      public: true,
      handler: (_req, p) => {
        // One path segment of a built file name: never a way out of the directory.
        if (!/^[\w.-]+$/.test(p.file!) || p.file!.startsWith('.')) throw HttpError.notFound(`no console file ${p.file}`);
        return serve(join('assets', p.file!), true);
      },
    },
  ];
}
