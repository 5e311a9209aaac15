import type { Command, CommandContext } from '../../command/index.js';
import { previousLatest, takeOverStartEvents } from '../../bpmn/execute/index.js';
import { compileDefinitions } from '../../bpmn/compile/index.js';
import type { ProcessModel } from '../../bpmn/model/index.js';
import { parseBpmn } from '../../bpmn/parse/index.js';
import { BadUserRequestError, ParseError, type ValidationProblem } from '../../errors/index.js';
import {
  DEPLOYMENT,
  PROCESS_DEFINITION,
  RESOURCE,
  type DeploymentEntity,
  type FormDefinitionEntity,
  type ProcessDefinitionEntity,
  type ResourceEntity,
} from '../../persistence/index.js';
import { Filter } from '../query.js';
import { checkFormResources, pinForms, planFormPins, storeDeployedForms, type FormPin } from './deploy-forms.js';
import { lockDeployments, ownerTenant } from './ownership.js';

export interface DeploymentResourceInput {
  readonly name: string;
  readonly content: string | Buffer;
}

export interface DeployInput {
  readonly name?: string | null;
  readonly source?: string | null;
  readonly tenantId?: string | null;
  readonly resources: readonly DeploymentResourceInput[];
  /** skip the deployment when it equals the latest one of the same name */
  readonly enableDuplicateFiltering?: boolean;
  /** with duplicate filtering: deploy only the resources that changed */
  readonly deployChangedOnly?: boolean;
}

export interface DeploymentResult {
  readonly deployment: DeploymentEntity;
  /** definitions created by this call; empty when duplicate filtering found nothing new */
  readonly deployedProcessDefinitions: ProcessDefinitionEntity[];
  readonly warnings: ValidationProblem[];
}

const BPMN_RESOURCE = /\.bpmn(20\.xml)?$/i;

/**
 * Deploys resources: every BPMN file is parsed, linted and compiled, and every form parsed and
 * compiled, before anything is written; one problem anywhere rejects the whole deployment with
 * every problem listed. Each `.form` becomes a form version of the deployment's tenant when its
 * content changed, and each new process definition's forms are pinned to the versions they
 * resolve to now (`deploy-forms.ts`), so its running cases keep them.
 */
export class DeployCmd implements Command<DeploymentResult> {
  readonly name = 'Deploy';

  constructor(private readonly input: DeployInput) {}

  async execute(context: CommandContext): Promise<DeploymentResult> {
    if (this.input.resources.length === 0) throw new BadUserRequestError('A deployment needs at least one resource');
    rejectDuplicateNames(this.input.resources);
    const resources = this.input.resources.map((r) => ({ name: r.name, content: Buffer.isBuffer(r.content) ? r.content : Buffer.from(r.content, 'utf8') }));
    const { models, warnings } = await compileResources(resources);
    const forms = checkFormResources(resources);
    await lockDeployments(context);
    const tenantId = await ownerTenant(context, this.input.tenantId ?? null, 'deploy');
    const changed = this.input.enableDuplicateFiltering ? await this.changedResources(context, resources, tenantId) : resources;
    if (this.input.enableDuplicateFiltering && changed.length === 0) {
      const latest = await this.latestDeployment(context, tenantId);
      if (latest) return { deployment: latest, deployedProcessDefinitions: [], warnings };
    }
    const toDeploy = this.input.enableDuplicateFiltering && !this.input.deployChangedOnly && changed.length > 0 ? resources : changed;
    const deployment = context.session.insert(DEPLOYMENT, {
      id: context.newId(),
      name: this.input.name ?? null,
      source: this.input.source ?? null,
      tenantId,
      deployTime: context.now(),
    });
    const formVersions = await storeDeployedForms(context, deployment, forms);
    const pins = await planAllFormPins(context, toDeploy, models, tenantId, formVersions);
    const definitions: ProcessDefinitionEntity[] = [];
    for (const resource of toDeploy) {
      context.session.insert(RESOURCE, { id: context.newId(), deploymentId: deployment.id, name: resource.name, content: resource.content, tenantId });
      for (const model of models.get(resource.name) ?? []) {
        const definition = await this.createDefinition(context, deployment, resource.name, model);
        pinForms(context, definition.id, pins.get(model.key) ?? []);
        definitions.push(definition);
      }
    }
    context.logOperation({ operationType: 'Create', entityType: 'Deployment', deploymentId: deployment.id, tenantId });
    return { deployment, deployedProcessDefinitions: definitions, warnings };
  }

  private async createDefinition(context: CommandContext, deployment: DeploymentEntity, resourceName: string, model: ProcessModel): Promise<ProcessDefinitionEntity> {
    const sameKey = new Filter().equals('key_', model.key).equals('tenant_id', deployment.tenantId);
    const [latest] = await context.session.sql.select(`SELECT MAX(version) AS version FROM process_definition WHERE ${sameKey.where}`, sameKey.bindings);
    const version = Number(latest?.version ?? 0) + 1;
    const definition = context.session.insert(PROCESS_DEFINITION, {
      id: definitionId(model.key, version, context.newId()),
      key: model.key,
      version,
      versionTag: model.versionTag,
      name: model.name,
      category: model.category,
      description: null,
      deploymentId: deployment.id,
      resourceName,
      tenantId: deployment.tenantId,
      suspended: false,
      startable: true,
      historyTtl: null,
    });
    context.environment.deployments.put(definition, model);
    await takeOverStartEvents(context, { definition, model }, await previousLatest(context, definition));
    return definition;
  }

  /**
   * The resources that differ from the latest deployed resource of the same name among the
   * deployments of this name, as Camunda compares them: a resource that deployChangedOnly left out
   * of later deployments is compared with the deployment that last carried it.
   */
  private async changedResources(context: CommandContext, resources: ResourceLike[], tenantId: string | null): Promise<ResourceLike[]> {
    const filter = sameNameAndTenant(this.input.name ?? null, tenantId, 'd.').in('r.name', resources.map((r) => r.name));
    const rows = await context.session.sql.select(
      `SELECT r.id, r.name FROM resource r JOIN deployment d ON d.id = r.deployment_id
        WHERE ${filter.where} ORDER BY d.deploy_time DESC`,
      filter.bindings,
    );
    const latestIds = new Map<string, string>();
    for (const row of rows) if (!latestIds.has(String(row.name))) latestIds.set(String(row.name), String(row.id));
    const ids = [...latestIds.values()];
    const byId = new Filter().in('id', ids);
    const previous = ids.length === 0 ? [] : await context.session.select(RESOURCE, byId.where, byId.bindings);
    return resources.filter((r) => !previous.some((p: ResourceEntity) => p.name === r.name && p.content.equals(r.content)));
  }

  private async latestDeployment(context: CommandContext, tenantId: string | null): Promise<DeploymentEntity | null> {
    const filter = sameNameAndTenant(this.input.name ?? null, tenantId);
    const [latest] = await context.session.select(DEPLOYMENT, filter.where, filter.bindings, 'ORDER BY deploy_time DESC LIMIT 1');
    return latest ?? null;
  }
}

/** Duplicate filtering compares deployments of the same name within the same tenant (or none). */
function sameNameAndTenant(name: string | null, tenantId: string | null, prefix = ''): Filter {
  return new Filter().equals(`${prefix}name`, name).equals(`${prefix}tenant_id`, tenantId);
}

interface ResourceLike {
  readonly name: string;
  readonly content: Buffer;
}

/** Ids are at most 64 characters (the column's width): `key:version:uuid` when it fits, else the uuid alone, as Camunda does. */
const MAX_ID_LENGTH = 64;

function definitionId(key: string, version: number, uuid: string): string {
  const readable = `${key}:${version}:${uuid}`;
  return readable.length <= MAX_ID_LENGTH ? readable : uuid;
}

/** Resources are found by deployment and name: two of one name would make the stored XML of a definition ambiguous. */
function rejectDuplicateNames(resources: readonly DeploymentResourceInput[]): void {
  const seen = new Set<string>();
  for (const { name } of resources) {
    if (seen.has(name)) throw new BadUserRequestError(`A deployment cannot contain two resources named '${name}'`);
    seen.add(name);
  }
}

async function compileResources(resources: ResourceLike[]): Promise<{ models: Map<string, ProcessModel[]>; warnings: ValidationProblem[] }> {
  const models = new Map<string, ProcessModel[]>();
  const errors: ValidationProblem[] = [];
  const warnings: ValidationProblem[] = [];
  const keys = new Map<string, string>();
  for (const resource of resources.filter((r) => BPMN_RESOURCE.test(r.name))) {
    const parsed = await parseBpmn(resource.name, resource.content.toString('utf8'));
    errors.push(...parsed.errors);
    warnings.push(...parsed.warnings);
    if (!parsed.definitions || parsed.errors.length > 0) continue;
    const compiled = compileDefinitions(resource.name, parsed.definitions);
    errors.push(...compiled.errors);
    for (const model of compiled.models.values()) {
      const other = keys.get(model.key);
      if (other) errors.push({ resource: resource.name, elementId: model.key, message: `Process key '${model.key}' is also defined in '${other}' of this deployment` });
      keys.set(model.key, resource.name);
    }
    models.set(resource.name, [...compiled.models.values()]);
  }
  if (errors.length > 0) throw new ParseError(parseErrorMessage(errors), errors);
  return { models, warnings };
}

/**
 * The form pins of every process about to be deployed, by process key, planned before any
 * definition is written; a reference that finds no form fails the deployment like a BPMN problem.
 */
async function planAllFormPins(
  context: CommandContext,
  toDeploy: readonly ResourceLike[],
  models: ReadonlyMap<string, ProcessModel[]>,
  tenantId: string | null,
  formVersions: ReadonlyMap<string, FormDefinitionEntity>,
): Promise<Map<string, FormPin[]>> {
  const pins = new Map<string, FormPin[]>();
  const problems: ValidationProblem[] = [];
  for (const resource of toDeploy) {
    for (const model of models.get(resource.name) ?? []) {
      const plan = await planFormPins(context, model, resource.name, tenantId, formVersions);
      pins.set(model.key, plan.pins);
      problems.push(...plan.problems);
    }
  }
  if (problems.length > 0) throw new ParseError(parseErrorMessage(problems), problems);
  return pins;
}

/** Camunda Modeler shows this text as is; its prefix is what Camunda 7 answers. */
function parseErrorMessage(problems: ValidationProblem[]): string {
  const lines = problems.map((p) => `* ${p.message}${p.elementId ? ` | element '${p.elementId}'` : ''} | resource '${p.resource}'`);
  return `ENGINE-09005 Could not parse BPMN process. Errors:\n${lines.join('\n')}`;
}
