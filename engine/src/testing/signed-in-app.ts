import Router from '@koa/router';
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { identifyCaller, type RequestAuthenticator } from '../api/authentication.js';
import { errorHandler } from '../api/errors.js';
import { jsonBodyParser } from '../api/json-body.js';
import { Principals } from '../identity/index.js';
import { silentLogger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';

export interface SignedInClient {
  readonly principals: Principals;
  /** a request to `<prefix><path>` as the user `as` (`Authorization: Test <userId>`), or without credentials when `as` is null; a FormData body is sent as multipart */
  request(path: string, init: { as: string | null; method?: string; body?: unknown }): Promise<Response>;
  /** the JSON answer of a request that must succeed with `status` (200 by default) */
  json<T = unknown>(path: string, init: { as: string; method?: string; body?: unknown }, status?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * Routes under `prefix` on a koa app of their own, for route tests that need signed-in callers
 * without passwords: `Authorization: Test <userId>` is that user's principal, loaded as the real
 * authenticator loads it (`Principals.load`). Errors are mapped as the server maps them.
 */
export async function startSignedInApp(engine: ProcessEngine, prefix: string, mount: (router: Router, principals: Principals) => void): Promise<SignedInClient> {
  const principals = new Principals(engine.database, engine.environment.clock);
  const authenticator: RequestAuthenticator = {
    principalOf: async (authorization) => {
      const userId = /^Test (\S+)$/.exec(authorization)?.[1];
      return userId ? principals.load(userId) : null;
    },
  };
  const router = new Router({ prefix });
  router.use(identifyCaller(authenticator));
  router.use(jsonBodyParser('1mb'));
  mount(router, principals);
  const app = new Koa();
  app.use(errorHandler(silentLogger()));
  app.use(router.routes()).use(router.allowedMethods());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  const request: SignedInClient['request'] = (path, { as, method, body }) =>
    fetch(`${base}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      // a FormData body (an upload) goes as multipart/form-data, with the boundary fetch chooses
      headers: { ...(as === null ? {} : { Authorization: `Test ${as}` }), ...(body === undefined || body instanceof FormData ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  return {
    principals,
    request,
    async json(path, init, status = 200) {
      const response = await request(path, init);
      const text = await response.text();
      if (response.status !== status) throw new Error(`${init.method ?? 'GET'} ${path} as ${init.as} answered ${response.status}, expected ${status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** The `message` of an error answer. */
export async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}
