import { send } from '@koa/send';
import type Koa from 'koa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '../errors/index.js';

/** Where `npm run build -w @yiwang/designer` writes the designer (from src/api and dist/api alike). */
export const DESIGNER_DIST = fileURLToPath(new URL('../../../designer/dist/', import.meta.url));

const PREFIX = '/designer';
/** vite names every file under assets/ by its content hash: a changed file is a new URL */
const ASSET_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The designer's built files at `/designer/` (@koa/send: paths resolved inside `root` only, hidden
 * files refused, no directory listing). Hashed files under `assets/` are cached for a year; any
 * other path without a file extension is a page of the app's history-mode router and answers
 * index.html (never cached, so a new build is picked up); a missing file is a 404. `GET /`
 * redirects to the designer. While `root` holds no build (no index.html) every request passes on,
 * so a build made after the server started is served from then on.
 */
export function designerApp(root: string = DESIGNER_DIST): Koa.Middleware {
  const index = join(root, 'index.html');
  const sendFile = async (ctx: Koa.Context, path: string, cache: 'forever' | 'never'): Promise<boolean> => {
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
  };
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !existsSync(index)) return next();
    if (ctx.path === '/' || ctx.path === PREFIX) {
      ctx.redirect(`${PREFIX}/`);
      return;
    }
    if (!ctx.path.startsWith(`${PREFIX}/`)) return next();
    const path = ctx.path.slice(PREFIX.length + 1);
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    if (path.startsWith('assets/') || lastSegment.includes('.')) {
      if (await sendFile(ctx, path, path.startsWith('assets/') ? 'forever' : 'never')) return;
      throw new NotFoundError(`no such file in the designer: ${path}`);
    }
    // any other path is a page of the app: its router reads the path
    await sendFile(ctx, 'index.html', 'never');
  };
}
