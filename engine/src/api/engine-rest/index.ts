import Router from '@koa/router';
import { jsonBodyParser } from '../json-body.js';
import type { ProcessEngine } from '../../services/index.js';
import type { RequestAuthenticator } from '../authentication.js';
import { requireCaller } from './auth.js';
import { eventRoutes } from './events.js';
import { externalTaskRoutes } from './external-task.js';
import { variableDataRoutes } from './variable-data.js';
import { deploymentRoutes } from './deployment.js';
import { processDefinitionRoutes } from './process-definition.js';
import { processInstanceRoutes } from './process-instance.js';
import { taskRoutes } from './task.js';
import { historyRoutes } from './history.js';
import { identityRoutes } from './identity.js';
import { operationRoutes } from './operations.js';
import { sendJson } from './http.js';
import { openApiDocument } from './openapi.js';
import { restContext } from './rest-context.js';

/** The Camunda 7 version whose REST API this one answers like; Camunda Modeler reads it. */
export const CAMUNDA_COMPATIBLE_VERSION = '7.22.0';

export interface EngineRestOptions {
  readonly engine: ProcessEngine;
  readonly authenticator: RequestAuthenticator;
  readonly timeZone?: string;
  /** aborted when the server shuts down: long-polling fetches answer at once instead of holding the close */
  readonly closing?: AbortSignal;
}

/**
 * `/engine-rest`: the subset of the Camunda 7 REST API that Camunda Modeler, Camunda's clients and
 * camunda-external-task-client-js workers use (../shared/brief/camunda-rest.md), every route
 * behind authentication.
 */
export function engineRestRouter(options: EngineRestOptions): Router {
  const router = new Router({ prefix: '/engine-rest' });
  router.use(requireCaller(options.authenticator));
  // variables may carry files as base64
  router.use(jsonBodyParser('10mb'));
  const rest = restContext(options.engine, options.timeZone);
  router.get('/version', (ctx) => sendJson(ctx, { version: CAMUNDA_COMPATIBLE_VERSION }));
  const openApi = openApiDocument(CAMUNDA_COMPATIBLE_VERSION);
  router.get('/openapi.json', (ctx) => sendJson(ctx, openApi));
  eventRoutes(router, rest);
  externalTaskRoutes(router, rest, options.closing);
  variableDataRoutes(router, rest);
  deploymentRoutes(router, rest);
  processDefinitionRoutes(router, rest);
  processInstanceRoutes(router, rest);
  taskRoutes(router, rest);
  historyRoutes(router, rest);
  operationRoutes(router, rest);
  identityRoutes(router, rest);
  return router;
}
