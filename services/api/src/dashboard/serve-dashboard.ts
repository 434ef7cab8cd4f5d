// Serves the dashboard (built by tsc from services/api/dashboard) at /dash, under a Content-Security-Policy that allows this origin only.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_PREFIX = '/dash/';

/**
 * Scripts, styles, images and API calls from this origin only; no inline script or style, no
 * plugins, no framing, no forms posted anywhere, no <base> rewriting.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** Only what the page loads: not the compiler's declarations and source maps that sit beside the scripts. */
const SERVED = /\.(html|css|js|svg)$/;

export interface DashboardFiles {
  /** index.html, style.css, favicon.svg. */
  publicDir: string;
  /** The compiled scripts, served under /dash/app/. */
  scriptsDir: string;
}

/** Where the files are in this repository, relative to the compiled server (services/api/dist/src/dashboard/). */
export function defaultDashboardFiles(): DashboardFiles {
  return {
    publicDir: fileURLToPath(new URL('../../../dashboard/public/', import.meta.url)),
    scriptsDir: fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url)),
  };
}

export function registerDashboard(app: FastifyInstance, files: DashboardFiles = defaultDashboardFiles()): void {
  if (!existsSync(files.scriptsDir)) {
    app.log.warn({ dir: files.scriptsDir }, 'the dashboard is not built (npm run build); /dash serves its page without scripts');
  }
  void app.register((scope, _options, done) => {
    scope.addHook('onSend', (_request, reply, payload, next) => {
      reply.headers(SECURITY_HEADERS);
      // The page and its scripts change with each build; revalidating is cheap (ETag).
      reply.header('cache-control', 'no-cache');
      next(null, payload);
    });
    void scope.register(fastifyStatic, {
      // Scripts first: /dash/app/main.js is dist/app/main.js; the page and its stylesheet come from public/.
      root: [files.scriptsDir, files.publicDir],
      prefix: DASHBOARD_PREFIX,
      // The page is its own route below: /dash and /dash/ alike (the router ignores trailing slashes).
      index: false,
      dotfiles: 'deny',
      allowedPath: (pathName) => SERVED.test(pathName),
    });
    scope.get(DASHBOARD_PREFIX.slice(0, -1), (_request, reply) => reply.sendFile('index.html', files.publicDir));
    done();
  });
}
