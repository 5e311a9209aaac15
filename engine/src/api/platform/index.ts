import Router from '@koa/router';
import type { Principals } from '../../identity/index.js';
import type { Logger } from '../../logging/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { identifyCaller, type RequestAuthenticator } from '../authentication.js';
import { sendJson } from '../engine-rest/http.js';
import { jsonBodyParser } from '../json-body.js';
import { ApiRoutes } from './routes.js';

export { ApiRoutes, PUBLIC, SIGNED_IN, type ApiCall, type ApiRoute, type JsonSchema } from './routes.js';

/** What the `/api` modules are built from. */
export interface PlatformDeps {
  readonly engine: ProcessEngine;
  readonly authenticator: RequestAuthenticator;
  /** loaded principals; modules that change the organisation invalidate it */
  readonly principals: Principals;
  readonly logger: Logger;
}

/**
 * `/api`: the platform's own API (identity, organisation, and the modules of later issues). Each
 * module declares its routes on one `ApiRoutes` with the permission beside each route;
 * `/api/openapi.json` describes them all.
 */
export function platformApiRouter(deps: PlatformDeps, version: string): Router {
  const router = new Router({ prefix: '/api' });
  router.use(identifyCaller(deps.authenticator));
  router.use(jsonBodyParser('1mb'));
  const routes = new ApiRoutes();
  const document = routes.openApi({ title: 'yiwang platform API', version });
  router.get('/openapi.json', (ctx) => sendJson(ctx, document));
  routes.mount(router, deps.engine);
  return router;
}
