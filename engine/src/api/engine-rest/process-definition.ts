import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import type { ProcessDefinitionEntity } from '../../persistence/index.js';
import { formLanguage } from '../language.js';
import type { EngineServices, FormReference } from '../../services/index.js';
import { jsonBody, read, sendJson } from './http.js';
import { pageParams, queryParams, sortParams, type Params } from './listing.js';
import { processInstanceDto, variablesInReturn } from './process-instance.js';
import type { RestContext } from './rest-context.js';
import { variablesFromRest } from './variables.js';
import { permit } from './permit.js';

const DEFINITION_SORT = { id: 'id', key: 'key', name: 'name', version: 'version', deploymentId: 'deploymentId' } as const;

export function processDefinitionDto(definition: ProcessDefinitionEntity) {
  return {
    id: definition.id,
    key: definition.key,
    category: definition.category,
    description: definition.description,
    name: definition.name,
    version: definition.version,
    resource: definition.resourceName,
    deploymentId: definition.deploymentId,
    diagram: null,
    suspended: definition.suspended,
    tenantId: definition.tenantId,
    versionTag: definition.versionTag,
    historyTimeToLive: definition.historyTtl,
    startableInTasklist: definition.startable,
  };
}

/** `{ key, contextPath, camundaFormRef }` of a start event or a user task, as Tasklist reads it. */
export function formInfoDto(reference: FormReference) {
  return { key: reference.formKey, contextPath: null, camundaFormRef: reference.formRef };
}

/**
 * `/process-definition`: list and count, by id or by key (the latest version without a tenant),
 * the BPMN XML, starting instances, and the start form. Every `/{id}/...` route has its
 * `/key/{key}/...` twin.
 */
export function processDefinitionRoutes(router: Router, rest: RestContext): void {
  router.get('/process-definition', permit('process:read'), async (ctx) => {
    const params = queryParams(ctx);
    const query = { ...definitionQuery(params), ...pageParams(params), ...sortParams(params, DEFINITION_SORT) };
    sendJson(ctx, (await rest.services(ctx).repositoryService.listProcessDefinitions(query)).map(processDefinitionDto));
  });

  router.get('/process-definition/count', permit('process:read'), async (ctx) => {
    sendJson(ctx, { count: await rest.services(ctx).repositoryService.countProcessDefinitions(definitionQuery(queryParams(ctx))) });
  });

  for (const prefix of ['/process-definition/key/:key/tenant-id/:tenantId', '/process-definition/key/:key', '/process-definition/:id']) {
    const definitionOf = (ctx: Context) => resolveDefinition(rest.services(ctx), ctx.params, rest.principal(ctx).tenantId);

    router.get(prefix, permit('process:read'), async (ctx) => sendJson(ctx, processDefinitionDto(await definitionOf(ctx))));

    router.get(`${prefix}/xml`, permit('process:read'), async (ctx) => {
      const definition = await definitionOf(ctx);
      sendJson(ctx, { id: definition.id, bpmn20Xml: await rest.services(ctx).repositoryService.getProcessDefinitionXml(definition.id) });
    });

    router.post(`${prefix}/start`, permit('process:start'), async (ctx) => {
      const body = jsonBody(ctx);
      if (Array.isArray(body.startInstructions) && body.startInstructions.length > 0) {
        throw new BadUserRequestError("'startInstructions' are not supported: instances start at their start event");
      }
      await startInstance(ctx, rest, await definitionOf(ctx), body, read.boolean(body, 'withVariablesInReturn') ?? false);
    });

    router.get(`${prefix}/startForm`, permit('process:read'), async (ctx) => {
      const definition = await definitionOf(ctx);
      sendJson(ctx, formInfoDto(await rest.services(ctx).formService.getStartFormReference(definition.id)));
    });

    router.get(`${prefix}/deployed-start-form`, permit('process:read'), async (ctx) => {
      const definition = await definitionOf(ctx);
      sendJson(ctx, await rest.services(ctx).formService.getDeployedStartForm(definition.id));
    });

    // A form submission, unlike /start: validated against the pinned start form (400 FormValidationError listing the failing fields)
    router.post(`${prefix}/submit-form`, permit('process:start'), async (ctx) => {
      const body = jsonBody(ctx);
      const definition = await definitionOf(ctx);
      const instance = await rest.services(ctx).formService.submitStartForm(definition.id, {
        businessKey: read.string(body, 'businessKey') ?? null,
        submission: { variables: variablesFromRest(body.variables, 'variables', rest.timeZone), language: formLanguage(ctx) },
      });
      sendJson(ctx, processInstanceDto(ctx, instance));
    });
  }
}

async function startInstance(ctx: Context, rest: RestContext, definition: ProcessDefinitionEntity, body: Params, withVariables: boolean): Promise<void> {
  const services = rest.services(ctx);
  const instance = await services.runtimeService.startProcessInstanceById(definition.id, {
    businessKey: read.string(body, 'businessKey') ?? null,
    variables: variablesFromRest(body.variables, 'variables', rest.timeZone),
  });
  const dto = processInstanceDto(ctx, instance);
  sendJson(ctx, withVariables ? { ...dto, variables: await variablesInReturn(services, instance.id, rest.timeZone) } : dto);
}

/**
 * `/key/{key}`: the latest version the caller can see, their own tenant's before a shared one (the
 * caller's tenant plays the part of Camunda's authenticated tenant); `/key/{key}/tenant-id/{t}`: that tenant's.
 */
async function resolveDefinition(services: EngineServices, params: Record<string, string | undefined>, callerTenantId: string): Promise<ProcessDefinitionEntity> {
  if (params.id !== undefined) return services.repositoryService.getProcessDefinition(params.id);
  const key = params.key as string;
  const latest = await services.repositoryService.listProcessDefinitions({ key, latestVersion: true });
  const tenantId = params.tenantId ?? null;
  const found = tenantId !== null ? latest.find((d) => d.tenantId === tenantId) : latest.find((d) => d.tenantId === callerTenantId) ?? latest.find((d) => d.tenantId === null);
  if (!found) throw new NotFoundError(`No matching process definition with key '${key}' and ${tenantId === null ? 'no tenant-id' : `tenant-id '${tenantId}'`}`);
  return found;
}

function definitionQuery(params: Params) {
  return {
    id: read.string(params, 'processDefinitionId'),
    key: read.string(params, 'key'),
    keysIn: read.list(params, 'keysIn'),
    name: read.string(params, 'name'),
    nameLike: read.string(params, 'nameLike'),
    deploymentId: read.string(params, 'deploymentId'),
    version: read.integer(params, 'version'),
    latestVersion: read.boolean(params, 'latestVersion'),
    tenantIdIn: read.list(params, 'tenantIdIn'),
  };
}
