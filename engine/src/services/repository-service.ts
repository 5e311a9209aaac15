import { NotFoundError } from '../errors/index.js';
import { DEPLOYMENT, PROCESS_DEFINITION, RESOURCE, type DeploymentEntity, type ProcessDefinitionEntity, type ResourceEntity } from '../persistence/index.js';
import { DeleteDeploymentCmd } from './commands/delete-deployment.js';
import { DeployCmd, type DeployInput, type DeploymentResult } from './commands/deploy.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface ProcessDefinitionQuery extends Page, Sorting<'key' | 'name' | 'version' | 'id' | 'deploymentId'> {
  readonly id?: string;
  readonly key?: string;
  readonly keysIn?: readonly string[];
  readonly name?: string;
  readonly nameLike?: string;
  readonly deploymentId?: string;
  readonly version?: number;
  readonly latestVersion?: boolean;
  readonly tenantIdIn?: readonly string[];
}

const DEFINITION_SORT = { key: 'key_', name: 'name', version: 'version', id: 'id', deploymentId: 'deployment_id' } as const;

export interface DeploymentQuery extends Page, Sorting<'id' | 'name' | 'deploymentTime' | 'tenantId'> {
  readonly id?: string;
  readonly name?: string;
  readonly nameLike?: string;
  readonly source?: string;
  readonly tenantIdIn?: readonly string[];
  /** deployed after / before this instant */
  readonly after?: Date;
  readonly before?: Date;
}

const DEPLOYMENT_SORT = { id: 'id', name: 'name', deploymentTime: 'deploy_time', tenantId: 'tenant_id' } as const;

export class RepositoryService extends ServiceBase {
  deploy(input: DeployInput): Promise<DeploymentResult> {
    return this.run(new DeployCmd(input));
  }

  listProcessDefinitions(query: ProcessDefinitionQuery = {}): Promise<ProcessDefinitionEntity[]> {
    const filter = definitionFilter(query);
    return this.query((s) => s.select(PROCESS_DEFINITION, filter.where, filter.bindings, orderAndPage(query, DEFINITION_SORT, 'key', query)));
  }

  countProcessDefinitions(query: ProcessDefinitionQuery = {}): Promise<number> {
    const filter = definitionFilter(query);
    return this.query((s) => s.count({ name: 'process_definition' }, filter.where, filter.bindings));
  }

  async getProcessDefinition(id: string): Promise<ProcessDefinitionEntity> {
    const definition = await this.query((s) => s.findById(PROCESS_DEFINITION, id));
    if (!definition) throw new NotFoundError(`Process definition '${id}' does not exist`);
    return definition;
  }

  async getProcessDefinitionXml(id: string): Promise<string> {
    const definition = await this.getProcessDefinition(id);
    const resource = await this.getResource(definition.deploymentId, definition.resourceName);
    return resource.toString('utf8');
  }

  /** Deletes a deployment; with running instances of its definitions only with `cascade`, which deletes them. */
  deleteDeployment(id: string, options: { cascade?: boolean } = {}): Promise<void> {
    return this.run(new DeleteDeploymentCmd(id, options.cascade ?? false));
  }

  listDeployments(query: DeploymentQuery = {}): Promise<DeploymentEntity[]> {
    const filter = deploymentFilter(query);
    return this.query((s) => s.select(DEPLOYMENT, filter.where, filter.bindings, orderAndPage(query, DEPLOYMENT_SORT, 'id', query)));
  }

  countDeployments(query: DeploymentQuery = {}): Promise<number> {
    const filter = deploymentFilter(query);
    return this.query((s) => s.count({ name: 'deployment' }, filter.where, filter.bindings));
  }

  /** The resources of a deployment, in name order (404 for an unknown deployment). */
  async listResources(deploymentId: string): Promise<ResourceEntity[]> {
    await this.getDeployment(deploymentId);
    return this.query((s) => s.select(RESOURCE, 'deployment_id = $1', [deploymentId], 'ORDER BY name, id'));
  }

  async getResourceById(deploymentId: string, resourceId: string): Promise<ResourceEntity> {
    const [resource] = await this.query((s) => s.select(RESOURCE, 'deployment_id = $1 AND id = $2', [deploymentId, resourceId]));
    if (!resource) throw new NotFoundError(`Deployment '${deploymentId}' has no resource with id '${resourceId}'`);
    return resource;
  }

  async getDeployment(id: string): Promise<DeploymentEntity> {
    const deployment = await this.query((s) => s.findById(DEPLOYMENT, id));
    if (!deployment) throw new NotFoundError(`Deployment '${id}' does not exist`);
    return deployment;
  }

  async getResource(deploymentId: string, name: string): Promise<Buffer> {
    const [resource] = await this.query((s) => s.select(RESOURCE, 'deployment_id = $1 AND name = $2', [deploymentId, name]));
    if (!resource) throw new NotFoundError(`Deployment '${deploymentId}' has no resource '${name}'`);
    return resource.content;
  }
}

function deploymentFilter(query: DeploymentQuery): Filter {
  return new Filter()
    .equals('id', query.id)
    .equals('name', query.name)
    .like('name', query.nameLike)
    .equals('source', query.source)
    .in('tenant_id', query.tenantIdIn)
    .compare('deploy_time', '>', query.after)
    .compare('deploy_time', '<', query.before);
}

function definitionFilter(query: ProcessDefinitionQuery): Filter {
  const filter = new Filter()
    .equals('id', query.id)
    .equals('key_', query.key)
    .in('key_', query.keysIn)
    .equals('name', query.name)
    .like('name', query.nameLike)
    .equals('deployment_id', query.deploymentId)
    .equals('version', query.version)
    .in('tenant_id', query.tenantIdIn);
  if (query.latestVersion) {
    filter.raw(
      `version = (SELECT MAX(latest.version) FROM process_definition latest
        WHERE latest.key_ = process_definition.key_
        AND (latest.tenant_id = process_definition.tenant_id OR (latest.tenant_id IS NULL AND process_definition.tenant_id IS NULL)))`,
    );
  }
  return filter;
}
