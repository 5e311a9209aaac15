import Router from '@koa/router';
import type { FileStorageConfig, PublicReportSettings } from '../../config/index.js';
import type { Authentication, Principals } from '../../identity/index.js';
import type { Logger } from '../../logging/index.js';
import type { PluginCatalogue } from '../../plugins/index.js';
import type { CaptchaVerifier } from '../../public-reports/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { identifyCaller, sendUnauthenticated } from '../authentication.js';
import { sendJson } from '../engine-rest/http.js';
import { jsonBodyParser } from '../json-body.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerCalendarRoutes } from './calendar-routes.js';
import { registerDictionaryRoutes } from './dictionary-routes.js';
import { registerFileRoutes } from './file-routes.js';
import { registerFormRoutes } from './form-routes.js';
import { registerCopyRoutes } from './copy-routes.js';
import { registerGroupRoutes } from './group-routes.js';
import { registerInstanceRoutes } from './instance-routes.js';
import { registerNotificationRoutes } from './notification-routes.js';
import { registerOrganisationRoutes } from './organisation-routes.js';
import { registerPluginRoutes } from './plugin-routes.js';
import { registerExchangeRoutes } from './exchange-routes.js';
import { registerProcessDraftRoutes } from './process-draft-routes.js';
import { registerPublicReportRoutes } from './public-report-routes.js';
import { registerProcessRoutes } from './process-routes.js';
import { registerRoleRoutes } from './role-routes.js';
import { registerTaskRoutes } from './task-routes.js';
import { registerTaskMoveRoutes } from './task-move-routes.js';
import { registerTaskSignerRoutes } from './task-signer-routes.js';
import { ApiRoutes } from './routes.js';

export { ApiRoutes, PUBLIC, SIGNED_IN, type ApiCall, type ApiRoute, type JsonSchema } from './routes.js';

/** What the `/api` modules are built from. */
export interface PlatformDeps {
  readonly engine: ProcessEngine;
  /** sign-in, sessions, API keys, and the authenticator every request passes */
  readonly authentication: Authentication;
  /** loaded principals, shared with the authenticator: modules that change the organisation invalidate them */
  readonly principals: Principals;
  readonly logger: Logger;
  /** where uploads go (`YIWANG_FILE_STORAGE`, `YIWANG_FILE_DIR`); default: the database */
  readonly files?: FileStorageConfig;
  /** the public reporting portal's limits and captcha; default: the defaults, no captcha */
  readonly publicReports?: PublicReportSettings;
  /** checks the portal's captcha tokens; default: the siteverify protocol */
  readonly captchaVerifier?: CaptchaVerifier;
  /** the plugins `/api/plugins` offers; default: those found in the plugin folders at start */
  readonly plugins?: PluginCatalogue;
}

/** Every module's routes, declared on one `ApiRoutes`. */
export function platformRoutes(deps: PlatformDeps): ApiRoutes {
  const routes = new ApiRoutes();
  registerAuthRoutes(routes, deps);
  registerApiKeyRoutes(routes, deps);
  registerOrganisationRoutes(routes, { ...deps, passwordPolicy: deps.authentication.settings.passwordPolicy });
  registerRoleRoutes(routes, deps);
  registerGroupRoutes(routes, deps);
  registerAuditRoutes(routes, deps);
  registerFileRoutes(routes, deps);
  registerDictionaryRoutes(routes, deps);
  registerCalendarRoutes(routes, deps);
  registerFormRoutes(routes);
  registerProcessDraftRoutes(routes, deps);
  registerNotificationRoutes(routes, deps.engine);
  registerCopyRoutes(routes, deps.engine);
  registerTaskRoutes(routes, deps.engine);
  registerTaskMoveRoutes(routes, deps.engine);
  registerTaskSignerRoutes(routes, deps.engine);
  // before the instance routes: /instances/count and /instances/{id}/diagram are not /instances/{id}
  registerProcessRoutes(routes, deps.engine);
  registerInstanceRoutes(routes, deps.engine);
  registerPublicReportRoutes(routes, deps);
  registerPluginRoutes(routes, deps);
  registerExchangeRoutes(routes, deps.engine);
  return routes;
}

/**
 * `/api`: the platform's own API (identity and organisation, forms, files and dictionaries, task
 * operations and cases; plugins in a later issue). Each module declares its routes with the
 * permission beside each one; `/api/openapi.json` describes them all.
 */
export function platformApiRouter(deps: PlatformDeps, version: string): Router {
  const router = new Router({ prefix: '/api' });
  router.use(identifyCaller(deps.authentication.authenticator));
  router.use(jsonBodyParser('1mb'));
  const routes = platformRoutes(deps);
  const document = routes.openApi({ title: 'yiwang platform API', version });
  // like every route but sign-in, the description of the API is for signed-in callers
  router.get('/openapi.json', (ctx) => (ctx.state.principal ? sendJson(ctx, document) : sendUnauthenticated(ctx)));
  routes.mount(router, deps.engine);
  return router;
}
