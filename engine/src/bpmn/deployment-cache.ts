import { NotFoundError } from '../errors/index.js';
import { PROCESS_DEFINITION, RESOURCE, type DbSession, type ProcessDefinitionEntity } from '../persistence/index.js';
import { compileDefinitions } from './compile/index.js';
import type { ProcessModel } from './model/index.js';
import { parseBpmn } from './parse/index.js';

export interface DeployedProcess {
  /** immutable fields only: `suspended` may change and must be read from the database when it matters */
  readonly definition: ProcessDefinitionEntity;
  readonly model: ProcessModel;
}

/**
 * Compiled process models by definition id. A definition version never changes once deployed, so
 * the cache is safe for several engine processes on one database: a miss recompiles from the
 * stored resource, which is also how a restarted engine warms up.
 */
export class DeploymentCache {
  private readonly processes = new Map<string, Promise<DeployedProcess>>();

  put(definition: ProcessDefinitionEntity, model: ProcessModel): void {
    this.processes.set(definition.id, Promise.resolve({ definition: { ...definition }, model }));
  }

  get(session: DbSession, definitionId: string): Promise<DeployedProcess> {
    let entry = this.processes.get(definitionId);
    if (!entry) {
      entry = this.load(session, definitionId);
      this.processes.set(definitionId, entry);
      entry.catch(() => this.processes.delete(definitionId));
    }
    return entry;
  }

  private async load(session: DbSession, definitionId: string): Promise<DeployedProcess> {
    const definition = await session.findById(PROCESS_DEFINITION, definitionId);
    if (!definition) throw new NotFoundError(`Process definition '${definitionId}' does not exist`);
    const [resource] = await session.select(RESOURCE, 'deployment_id = $1 AND name = $2', [definition.deploymentId, definition.resourceName]);
    if (!resource) throw new NotFoundError(`Resource '${definition.resourceName}' of deployment '${definition.deploymentId}' is missing`);
    const parsed = await parseBpmn(resource.name, resource.content.toString('utf8'));
    const model = parsed.definitions ? compileDefinitions(resource.name, parsed.definitions).models.get(definition.key) : undefined;
    if (!model) throw new Error(`stored process '${definition.key}' of deployment '${definition.deploymentId}' no longer compiles`);
    return { definition: { ...definition }, model };
  }
}
