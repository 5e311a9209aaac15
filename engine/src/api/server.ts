import Router from '@koa/router';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { FileStorageConfig, PublicReportSettings } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';
import type { Authentication, Principals } from '../identity/index.js';
import type { CaptchaVerifier } from '../public-reports/index.js';
import { APP_BUILDS, webApps, type WebAppName } from './apps.js';
import { engineRestRouter } from './engine-rest/index.js';
import { errorHandler } from './errors.js';
import { healthRouter } from './health.js';
import { platformApiRouter } from './platform/index.js';

export interface ServerOptions {
  readonly engine: ProcessEngine;
  readonly logger: Logger;
  readonly port: number;
  readonly version: string;
  readonly host?: string;
  /** proves who calls `/engine-rest` and `/api`; sign-in and API keys */
  readonly authentication: Authentication;
  /** loaded principals, shared by the authenticator and the modules that change the organisation */
  readonly principals: Principals;
  /** the public reporting portal's limits and captcha (`config/`); default: the defaults, no captcha */
  readonly publicReports?: PublicReportSettings;
  /** checks the portal's captcha tokens; default: the siteverify protocol against `publicReports.captcha` */
  readonly captchaVerifier?: CaptchaVerifier;
  /** the zone in which `/engine-rest` writes dates */
  readonly timeZone?: string;
  /** where uploads go; default: the database */
  readonly files?: FileStorageConfig;
  /** believe `X-Forwarded-*` headers (a reverse proxy in front): default false */
  readonly trustProxy?: boolean;
  /**
   * the built web apps served at `/runtime/`, `/designer/` and `/public/`: by default the
   * repository's builds (`APP_BUILDS`), whenever they exist; another folder, or false for none
   */
  readonly apps?: Partial<Record<WebAppName, string | false>>;
}

/** The apps to serve, staff first: `GET /` goes to the first one built. */
function builtApps(chosen: Partial<Record<WebAppName, string | false>>) {
  const order: readonly WebAppName[] = ['runtime', 'designer', 'public'];
  return order.flatMap((name) => {
    const root = chosen[name] ?? APP_BUILDS[name];
    return root === false ? [] : [{ prefix: `/${name}` as const, root }];
  });
}

export interface PlatformServer {
  readonly port: number;
  /** stops accepting connections, lets requests in flight finish, then resolves */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<PlatformServer> {
  const app = new Koa();
  app.proxy = options.trustProxy ?? false;
  // behind our proxy only the last X-Forwarded-For entry is one it saw: earlier ones are whatever the
  // client sent, and would let it pick its own address past the public portal's rate limits
  app.maxIpsCount = 1;
  app.use(requestLog(options.logger));
  app.use(errorHandler(options.logger));
  const closing = new AbortController();
  const routers: Router[] = [
    healthRouter(options.engine, options.version),
    engineRestRouter({ engine: options.engine, authenticator: options.authentication.authenticator, timeZone: options.timeZone, closing: closing.signal }),
    platformApiRouter(options, options.version),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  app.use(webApps(builtApps(options.apps ?? {})));
  const server = await listen(app, options.port, options.host);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      closing.abort();
      return closeGracefully(server);
    },
  };
}

function listen(app: Koa, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function closeGracefully(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // keep-alive sockets with no request in flight would hold close() open until they time out
    server.closeIdleConnections();
  });
}

function requestLog(logger: Logger) {
  return async (ctx: Koa.Context, next: Koa.Next): Promise<void> => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  };
}
