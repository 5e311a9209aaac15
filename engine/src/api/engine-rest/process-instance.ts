import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import type { EngineServices, ProcessInstance } from '../../services/index.js';
import { fromStoredValue, type TypedValue } from '../../variables/index.js';
import { jsonBody, read, sendJson, sendNoContent } from './http.js';
import { pageParams, queryParams, selfLink, sortParams, type Params } from './listing.js';
import type { RestContext } from './rest-context.js';
import { variablesFromRest, variablesToRest, variableToRest } from './variables.js';
import { permit } from './permit.js';

const INSTANCE_SORT = { instanceId: 'instanceId', definitionId: 'definitionId', businessKey: 'businessKey' } as const;

export function processInstanceDto(ctx: Context, instance: ProcessInstance) {
  return {
    links: selfLink(ctx, `/process-instance/${instance.id}`),
    id: instance.id,
    definitionId: instance.definitionId,
    businessKey: instance.businessKey,
    caseInstanceId: null,
    ended: instance.ended,
    suspended: instance.suspended,
    tenantId: instance.tenantId,
  };
}

/**
 * The instance's variables after a command (`withVariablesInReturn`): the running instance's own,
 * or the last values its history kept when the command ended it.
 */
export async function variablesInReturn(services: EngineServices, processInstanceId: string, timeZone: string | undefined) {
  const running = await services.runtimeService.countProcessInstances({ processInstanceIds: [processInstanceId] });
  if (running > 0) return variablesToRest(await services.runtimeService.getVariables(processInstanceId), timeZone);
  const historic = await services.historyService.listVariables(processInstanceId);
  const live = historic.filter((v) => v.state !== 'DELETED' && v.taskId === null && v.executionId === processInstanceId);
  return variablesToRest(new Map<string, TypedValue>(live.map((v) => [v.name, fromStoredValue(v)])), timeZone);
}

/** `deletions` of a variables modification: a JSON array of names. */
export function deletionsOf(body: Params): string[] {
  if (body.deletions !== undefined && body.deletions !== null && !Array.isArray(body.deletions)) throw new BadUserRequestError("'deletions' must be an array of variable names");
  return read.list(body, 'deletions') ?? [];
}

/** `/process-instance`: list and count (GET and the POST twins), one instance, delete, variables, activity instances. */
export function processInstanceRoutes(router: Router, rest: RestContext): void {
  const list = async (ctx: Context, params: Params) => {
    const query = { ...instanceQuery(params), ...pageParams(params), ...sortParams(params, INSTANCE_SORT) };
    sendJson(ctx, (await rest.services(ctx).runtimeService.listProcessInstances(query)).map((i) => processInstanceDto(ctx, i)));
  };
  const count = async (ctx: Context, params: Params) => {
    sendJson(ctx, { count: await rest.services(ctx).runtimeService.countProcessInstances(instanceQuery(params)) });
  };
  router.get('/process-instance', permit('instance:read'), (ctx) => list(ctx, queryParams(ctx)));
  router.post('/process-instance', permit('instance:read'), (ctx) => list(ctx, { ...jsonBody(ctx), ...pageParams(queryParams(ctx)) }));
  router.get('/process-instance/count', permit('instance:read'), (ctx) => count(ctx, queryParams(ctx)));
  router.post('/process-instance/count', permit('instance:read'), (ctx) => count(ctx, jsonBody(ctx)));

  router.get('/process-instance/:id', permit('instance:read'), async (ctx) => {
    sendJson(ctx, processInstanceDto(ctx, await rest.services(ctx).runtimeService.getProcessInstance(ctx.params.id as string)));
  });

  router.delete('/process-instance/:id', permit('instance:manage'), async (ctx) => {
    const services = rest.services(ctx);
    const id = ctx.params.id as string;
    const failIfNotExists = read.boolean(queryParams(ctx), 'failIfNotExists') ?? true;
    if (failIfNotExists || (await services.runtimeService.countProcessInstances({ processInstanceIds: [id] })) > 0) {
      await services.runtimeService.deleteProcessInstance(id, read.string(queryParams(ctx), 'deleteReason') ?? null);
    }
    sendNoContent(ctx);
  });

  router.get('/process-instance/:id/activity-instances', permit('instance:read'), async (ctx) => {
    sendJson(ctx, await rest.services(ctx).runtimeService.getActivityInstance(ctx.params.id as string));
  });

  router.get('/process-instance/:id/variables', permit('instance:read'), async (ctx) => {
    const services = rest.services(ctx);
    const instance = await services.runtimeService.getProcessInstance(ctx.params.id as string);
    sendJson(ctx, variablesToRest(await services.runtimeService.getVariables(instance.id), rest.timeZone));
  });

  router.post('/process-instance/:id/variables', permit('instance:manage'), async (ctx) => {
    const body = jsonBody(ctx);
    const services = rest.services(ctx);
    const instance = await services.runtimeService.getProcessInstance(ctx.params.id as string);
    await services.runtimeService.modifyVariables(instance.id, variablesFromRest(body.modifications, 'modifications', rest.timeZone), deletionsOf(body));
    sendNoContent(ctx);
  });

  router.get('/process-instance/:id/variables/:name', permit('instance:read'), async (ctx) => {
    const services = rest.services(ctx);
    const instance = await services.runtimeService.getProcessInstance(ctx.params.id as string);
    const name = ctx.params.name as string;
    const variable = (await services.runtimeService.getVariables(instance.id)).get(name);
    if (!variable) throw new NotFoundError(`Process instance variable with name '${name}' does not exist`);
    sendJson(ctx, variableToRest(variable, rest.timeZone));
  });

  router.put('/process-instance/:id/variables/:name', permit('instance:manage'), async (ctx) => {
    const services = rest.services(ctx);
    const instance = await services.runtimeService.getProcessInstance(ctx.params.id as string);
    const name = ctx.params.name as string;
    await services.runtimeService.setVariables(instance.id, variablesFromRest({ [name]: jsonBody(ctx) }, 'body', rest.timeZone));
    sendNoContent(ctx);
  });

  router.delete('/process-instance/:id/variables/:name', permit('instance:manage'), async (ctx) => {
    const services = rest.services(ctx);
    const instance = await services.runtimeService.getProcessInstance(ctx.params.id as string);
    await services.runtimeService.removeVariables(instance.id, [ctx.params.name as string]);
    sendNoContent(ctx);
  });
}

function instanceQuery(params: Params) {
  const active = read.boolean(params, 'active');
  if (active === true && read.boolean(params, 'suspended') === true) throw new BadUserRequestError("'active' and 'suspended' cannot both be true");
  return {
    processInstanceIds: read.list(params, 'processInstanceIds'),
    businessKey: read.string(params, 'businessKey'),
    businessKeyLike: read.string(params, 'businessKeyLike'),
    processDefinitionId: read.string(params, 'processDefinitionId'),
    processDefinitionKey: read.string(params, 'processDefinitionKey'),
    activityIdIn: read.list(params, 'activityIdIn'),
    tenantIdIn: read.list(params, 'tenantIdIn'),
    withIncident: read.boolean(params, 'withIncident'),
    // no instance is ever suspended yet: `active=false` and `suspended=true` both match none
    suspended: read.boolean(params, 'suspended') === true || active === false ? true : undefined,
  };
}
