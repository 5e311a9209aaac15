import Router from '@koa/router';
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { identifyCaller } from '../api/authentication.js';
import { errorHandler } from '../api/errors.js';
import { startServer, type PlatformServer } from '../api/index.js';
import { jsonBodyParser } from '../api/json-body.js';
import { ApiRoutes } from '../api/platform/routes.js';
import { Authentication, ensurePlatformAdmin, Principals } from '../identity/index.js';
import { silentLogger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';
import { TEST_USER_PASSWORD } from './organisation.js';

export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface HttpClient {
  readonly baseUrl: string;
  /** the server's authentication: sign-in, sessions, API keys */
  readonly authentication: Authentication;
  /** a request to `<baseUrl><path>`, as the platform administrator unless `auth` says otherwise (null: no credentials); a plain object body is sent as JSON */
  request(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: string | null }): Promise<Response>;
  /** the JSON answer of a request that must succeed with `status` (a 204 answers undefined) */
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown; auth?: string | null }, status?: number): Promise<T>;
  /** signs a user in (default password: the organisation fixture's) and answers the `Authorization` header of their session */
  signIn(userId: string, password?: string): Promise<string>;
}

export interface RestClient extends HttpClient {
  readonly server: PlatformServer;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** `/engine-rest` on the platform's HTTP server on a free port, with the platform administrator's password set to TEST_ADMIN_PASSWORD. */
export async function startRestServer(engine: ProcessEngine, timeZone = 'Asia/Shanghai'): Promise<RestClient> {
  const authentication = await testAuthentication(engine);
  const server = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '0.0.0-test', authenticator: authentication.authenticator, timeZone });
  return { server, ...httpClient(`http://127.0.0.1:${server.port}/engine-rest`, authentication) };
}

export interface ApiClient extends HttpClient {
  close(): Promise<void>;
}

/**
 * `/api` with the routes `register` declares, behind the real authenticator (sessions, API keys,
 * Basic), on a koa app of its own with the server's error mapping: for the route tests of modules
 * the server does not mount yet.
 */
export async function startApiServer(engine: ProcessEngine, register: (routes: ApiRoutes, authentication: Authentication) => void): Promise<ApiClient> {
  const authentication = await testAuthentication(engine);
  const routes = new ApiRoutes();
  register(routes, authentication);
  const router = new Router({ prefix: '/api' });
  router.use(identifyCaller(authentication.authenticator));
  router.use(jsonBodyParser('1mb'));
  routes.mount(router, engine);
  const app = new Koa();
  app.proxy = true;
  app.use(errorHandler(silentLogger()));
  app.use(router.routes()).use(router.allowedMethods());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    ...httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, authentication),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function testAuthentication(engine: ProcessEngine): Promise<Authentication> {
  await ensurePlatformAdmin(engine, TEST_ADMIN_PASSWORD, () => undefined);
  return new Authentication(engine, new Principals(engine.database, engine.environment.clock), silentLogger());
}

function httpClient(baseUrl: string, authentication: Authentication): HttpClient {
  const request: HttpClient['request'] = (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.auth !== null) headers.Authorization = init.auth ?? basicAuth('admin', TEST_ADMIN_PASSWORD);
    let body: RequestInit['body'];
    if (typeof init.body === 'string' || init.body instanceof FormData) body = init.body;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    return fetch(`${baseUrl}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body });
  };
  return {
    baseUrl,
    authentication,
    request,
    async json(path, init, status = 200) {
      const response = await request(path, init);
      const text = await response.text();
      if (response.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}, expected ${status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async signIn(userId, password = TEST_USER_PASSWORD) {
      const { accessToken } = await authentication.login(userId, password, '127.0.0.1');
      return `Bearer ${accessToken}`;
    },
  };
}
