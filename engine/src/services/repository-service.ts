import { NotFoundError } from '../errors/index.js';
import { DEPLOYMENT, PROCESS_DEFINITION, RESOURCE, type DeploymentEntity, type ProcessDefinitionEntity } from '../persistence/index.js';
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
    return this.query(async (s) => Number((await s.sql.select(`SELECT COUNT(*) AS n FROM process_definition WHERE ${filter.where}`, filter.bindings))[0]?.n ?? 0));
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
