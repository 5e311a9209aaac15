import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';
import type { DeploymentEntity, ResourceEntity } from '../../persistence/index.js';
import type { DeploymentResourceInput } from '../../services/index.js';
import { readMultipart, type MultipartUpload } from '../multipart.js';
import { formatDate, parseDate } from './dates.js';
import { read, sendJson, sendNoContent } from './http.js';
import { pageParams, queryParams, selfLink, sortParams, type Params } from './listing.js';
import { processDefinitionDto } from './process-definition.js';
import type { RestContext } from './rest-context.js';
import { permit } from './permit.js';

/** What one deployment may carry: Camunda Modeler sends a diagram and its forms, far below these. */
const LIMITS = { fileSize: 10 * 1024 * 1024, files: 50, fields: 20, fieldSize: 64 * 1024 } as const;

const DEPLOYMENT_UPLOAD: MultipartUpload = {
  limits: LIMITS,
  messages: {
    notMultipart: (contentType) => `POST /deployment/create takes multipart/form-data, got '${contentType}'`,
    fileTooLarge: (filename) => `The resource '${filename}' is larger than ${LIMITS.fileSize} bytes`,
    tooManyFiles: `A deployment takes at most ${LIMITS.files} resources`,
    tooManyFields: `A deployment takes at most ${LIMITS.fields} fields`,
    fieldTooLong: (name) => `The field '${name}' is longer than ${LIMITS.fieldSize} bytes`,
    unreadable: (reason) => `The multipart body cannot be read: ${reason}`,
  },
};

const DEPLOYMENT_FIELDS = ['deployment-name', 'deployment-source', 'enable-duplicate-filtering', 'deploy-changed-only', 'tenant-id', 'deployment-activation-time'];

const DEPLOYMENT_SORT = { id: 'id', name: 'name', deploymentTime: 'deploymentTime', tenantId: 'tenantId' } as const;

/** Content types of downloaded resources, by extension, as Camunda answers them. */
const RESOURCE_TYPES: Record<string, string> = { bpmn: 'application/xml', xml: 'application/xml', dmn: 'application/xml', form: 'application/json', json: 'application/json', png: 'image/png', svg: 'image/svg+xml', html: 'text/html', txt: 'text/plain' };

/** `/deployment`: create (Camunda Modeler's Deploy button), list, read, resources, delete. */
export function deploymentRoutes(router: Router, rest: RestContext): void {
  router.post('/deployment/create', permit('process:deploy'), async (ctx) => {
    const { fields, resources } = await readDeployment(ctx);
    if (fields.has('deployment-activation-time')) {
      throw new BadUserRequestError("'deployment-activation-time' is not supported: process definitions cannot be suspended until a given time");
    }
    const changedOnly = read.boolean(Object.fromEntries(fields), 'deploy-changed-only') ?? false;
    const result = await rest.services(ctx).repositoryService.deploy({
      name: fields.get('deployment-name') ?? null,
      source: fields.get('deployment-source') ?? null,
      tenantId: fields.get('tenant-id') || null,
      // as in Camunda, deploying changed resources only implies duplicate filtering
      enableDuplicateFiltering: changedOnly || (read.boolean(Object.fromEntries(fields), 'enable-duplicate-filtering') ?? false),
      deployChangedOnly: changedOnly,
      resources,
    });
    const definitions = result.deployedProcessDefinitions;
    sendJson(ctx, {
      ...deploymentDto(ctx, rest, result.deployment),
      // Camunda answers null, not {}, when nothing was deployed (duplicate filtering found no change)
      deployedProcessDefinitions: definitions.length === 0 ? null : Object.fromEntries(definitions.map((d) => [d.id, processDefinitionDto(d)])),
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
      deployedDecisionRequirementsDefinitions: null,
    });
  });

  router.get('/deployment', permit('process:read'), async (ctx) => {
    const params = queryParams(ctx);
    const deployments = await rest.services(ctx).repositoryService.listDeployments({ ...deploymentQuery(params, rest), ...pageParams(params), ...sortParams(params, DEPLOYMENT_SORT) });
    sendJson(ctx, deployments.map((d) => deploymentDto(ctx, rest, d)));
  });

  router.get('/deployment/count', permit('process:read'), async (ctx) => {
    sendJson(ctx, { count: await rest.services(ctx).repositoryService.countDeployments(deploymentQuery(queryParams(ctx), rest)) });
  });

  router.get('/deployment/:id', permit('process:read'), async (ctx) => {
    sendJson(ctx, deploymentDto(ctx, rest, await rest.services(ctx).repositoryService.getDeployment(ctx.params.id as string)));
  });

  router.get('/deployment/:id/resources', permit('process:read'), async (ctx) => {
    const resources = await rest.services(ctx).repositoryService.listResources(ctx.params.id as string);
    sendJson(ctx, resources.map(resourceDto));
  });

  router.get('/deployment/:id/resources/:resourceId', permit('process:read'), async (ctx) => {
    sendJson(ctx, resourceDto(await rest.services(ctx).repositoryService.getResourceById(ctx.params.id as string, ctx.params.resourceId as string)));
  });

  router.get('/deployment/:id/resources/:resourceId/data', permit('process:read'), async (ctx) => {
    const resource = await rest.services(ctx).repositoryService.getResourceById(ctx.params.id as string, ctx.params.resourceId as string);
    const extension = resource.name.slice(resource.name.lastIndexOf('.') + 1).toLowerCase();
    ctx.status = 200;
    ctx.set('Content-Type', RESOURCE_TYPES[extension] ?? 'application/octet-stream');
    ctx.set('Content-Disposition', `attachment; filename="${resource.name.replace(/["\\\r\n]/g, '_')}"`);
    ctx.body = resource.content;
  });

  router.delete('/deployment/:id', permit('process:deploy'), async (ctx) => {
    const cascade = read.boolean(queryParams(ctx), 'cascade') ?? false;
    await rest.services(ctx).repositoryService.deleteDeployment(ctx.params.id as string, { cascade });
    sendNoContent(ctx);
  });
}

function deploymentQuery(params: Params, rest: RestContext) {
  const date = (name: string) => {
    const text = read.string(params, name);
    return text === undefined ? undefined : parseDate(text, name, rest.timeZone);
  };
  return {
    id: read.string(params, 'id'),
    name: read.string(params, 'name'),
    nameLike: read.string(params, 'nameLike'),
    source: read.string(params, 'source'),
    tenantIdIn: read.list(params, 'tenantIdIn'),
    after: date('after'),
    before: date('before'),
  };
}

function deploymentDto(ctx: Context, rest: RestContext, deployment: DeploymentEntity) {
  return {
    links: selfLink(ctx, `/deployment/${deployment.id}`),
    id: deployment.id,
    name: deployment.name,
    source: deployment.source,
    deploymentTime: formatDate(deployment.deployTime, rest.timeZone),
    processApplicationId: null,
    tenantId: deployment.tenantId,
  };
}

function resourceDto(resource: ResourceEntity) {
  return { id: resource.id, name: resource.name, deploymentId: resource.deploymentId };
}

interface MultipartDeployment {
  readonly fields: Map<string, string>;
  readonly resources: DeploymentResourceInput[];
}

/**
 * Reads Camunda Modeler's multipart body: the deployment fields by name, every other part a
 * resource named by its filename (by its field name when it has none). Oversized or too many
 * parts are a 400, never a partly read deployment.
 */
async function readDeployment(ctx: Context): Promise<MultipartDeployment> {
  const fields = new Map<string, string>();
  const resources: DeploymentResourceInput[] = [];
  for (const part of await readMultipart(ctx, DEPLOYMENT_UPLOAD)) {
    if (DEPLOYMENT_FIELDS.includes(part.name)) fields.set(part.name, part.content.toString('utf8'));
    else resources.push({ name: part.filename || part.name, content: part.content });
  }
  if (resources.length === 0) throw new BadUserRequestError('A deployment needs at least one resource: no file part was sent');
  return { fields, resources };
}
