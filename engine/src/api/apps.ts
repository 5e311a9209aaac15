import { send } from '@koa/send';
import type Koa from 'koa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '../errors/index.js';

/** The web apps the server can serve, each at `/<name>/`. */
export type WebAppName = 'runtime' | 'designer' | 'public';

/** Where each app's build is written (from src/api and dist/api alike): `npm run build -w @yiwang/designer`, `-w @yiwang/runtime`. */
export const APP_BUILDS: Readonly<Record<WebAppName, string>> = {
  runtime: fileURLToPath(new URL('../../../runtime/dist/staff/', import.meta.url)),
  designer: fileURLToPath(new URL('../../../designer/dist/', import.meta.url)),
  public: fileURLToPath(new URL('../../../runtime/dist/public/', import.meta.url)),
};

/** An app's build and the path it is served under. */
export interface BuiltApp {
  /** `/designer`: the app answers `/designer/...` */
  readonly prefix: `/${string}`;
  readonly root: string;
}

/** vite names every file under assets/ by its content hash: a changed file is a new URL */
const ASSET_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The apps' built files, each under its prefix (@koa/send: paths resolved inside `root` only,
 * hidden files refused, no directory listing). Hashed files under `assets/` are cached for a year;
 * any other path without a file extension is a page of the app's history-mode router and answers
 * index.html (never cached, so a new build is picked up); a missing file is a 404. `GET /` redirects
 * to the first app in the list that is built. While an app's root holds no build (no index.html)
 * its requests pass on, so a build made after the server started is served from then on.
 */
export function webApps(apps: readonly BuiltApp[]): Koa.Middleware {
  const isBuilt = (app: BuiltApp) => existsSync(join(app.root, 'index.html'));
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/') {
      const first = apps.find(isBuilt);
      if (!first) return next();
      ctx.redirect(`${first.prefix}/`);
      return;
    }
    const app = apps.find((candidate) => ctx.path === candidate.prefix || ctx.path.startsWith(`${candidate.prefix}/`));
    if (!app || !isBuilt(app)) return next();
    if (ctx.path === app.prefix) {
      ctx.redirect(`${app.prefix}/`);
      return;
    }
    await serveFromBuild(ctx, app);
  };
}

async function serveFromBuild(ctx: Koa.Context, app: BuiltApp): Promise<void> {
  const path = ctx.path.slice(app.prefix.length + 1);
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  if (path.startsWith('assets/') || lastSegment.includes('.')) {
    if (await sendFile(ctx, app.root, path, path.startsWith('assets/') ? 'forever' : 'never')) return;
    throw new NotFoundError(`no such file in ${app.prefix}: ${path}`);
  }
  // any other path is a page of the app: its router reads the path
  await sendFile(ctx, app.root, 'index.html', 'never');
}

async function sendFile(ctx: Koa.Context, root: string, path: string, cache: 'forever' | 'never'): Promise<boolean> {
  try {
    const sent = await send(ctx, path, {
      root,
      index: false,
      hidden: false,
      brotli: false,
      gzip: false,
      ...(cache === 'forever' ? { maxage: ASSET_MAX_AGE_MS, immutable: true } : { setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }),
    });
    return sent !== undefined;
  } catch (error) {
    // 404 of a missing file, 400 of an undecodable path, 403 of a path outside root
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status < 500) return false;
    throw error;
  }
}
