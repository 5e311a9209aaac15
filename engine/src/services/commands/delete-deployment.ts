import type { Command, CommandContext } from '../../command/index.js';
import { takeOverStartEvents } from '../../bpmn/execute/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/index.js';
import { DEPLOYMENT, EXECUTION, PROCESS_DEFINITION, type ProcessDefinitionEntity } from '../../persistence/index.js';
import { Filter } from '../query.js';
import { DeleteProcessInstanceCmd } from './process-instance.js';

/**
 * Deletes a deployment with its definitions and resources. Running instances of its definitions
 * refuse the deletion unless `cascade` deletes them too (history stays). When a deleted definition
 * was the latest of its key, the previous version takes its timer, message and signal starts back,
 * as in Camunda.
 */
export class DeleteDeploymentCmd implements Command<void> {
  readonly name = 'DeleteDeployment';

  constructor(
    private readonly deploymentId: string,
    private readonly cascade: boolean,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const deployment = await context.session.findById(DEPLOYMENT, this.deploymentId);
    if (!deployment) throw new NotFoundError(`Deployment '${this.deploymentId}' does not exist`);
    // every tenant runs cases of a shared deployment, and a tenant sees only its own of them
    if (deployment.tenantId === null && context.actor?.scope) {
      throw new ForbiddenError(`部署 ${deployment.id} 为所有租户共享，只有平台管理员可以删除 (deployment '${deployment.id}' is shared by every tenant: only the platform administrator may delete it)`);
    }
    const definitions = await context.session.select(PROCESS_DEFINITION, 'deployment_id = $1', [deployment.id]);
    await this.deleteInstances(context, definitions);
    for (const definition of definitions) await restorePreviousStarts(context, definition);
    const ids = new Filter().in('process_definition_id', definitions.map((d) => d.id));
    if (definitions.length > 0) {
      context.session.addStatement(`DELETE FROM job WHERE ${ids.where} AND process_instance_id IS NULL`, ids.bindings);
      context.session.addStatement(`DELETE FROM event_subscription WHERE ${ids.where} AND execution_id IS NULL`, ids.bindings);
      // their form pins go with them; the form versions stay, as later deployments may be pinned to them
      context.session.addStatement(`DELETE FROM process_form WHERE ${ids.where}`, ids.bindings);
    }
    context.session.addStatement('DELETE FROM process_definition WHERE deployment_id = $1', [deployment.id]);
    context.session.addStatement('DELETE FROM resource WHERE deployment_id = $1', [deployment.id]);
    context.session.delete(DEPLOYMENT, deployment);
    context.logOperation({ operationType: 'Delete', entityType: 'Deployment', deploymentId: deployment.id, tenantId: deployment.tenantId });
  }

  private async deleteInstances(context: CommandContext, definitions: ProcessDefinitionEntity[]): Promise<void> {
    if (definitions.length === 0) return;
    const filter = new Filter().raw('parent_id IS NULL').in('process_definition_id', definitions.map((d) => d.id));
    // instances started by a call activity go last: deleting their caller usually takes them along
    const roots = await context.session.select(EXECUTION, filter.where, filter.bindings, 'ORDER BY super_execution_id, id');
    if (roots.length > 0 && !this.cascade) {
      throw new ConflictError(
        `Deployment '${this.deploymentId}' cannot be deleted without cascade: ${roots.length} process instance(s) of its definitions are running`,
      );
    }
    const reason = `Deleted deployment with id '${this.deploymentId}'`;
    for (const root of roots) {
      if (!context.session.isDeleted(EXECUTION, root.id)) await new DeleteProcessInstanceCmd(root.id, reason).execute(context);
    }
  }
}

/** The version before a deleted latest definition becomes the latest again, with its start events. */
async function restorePreviousStarts(context: CommandContext, deleted: ProcessDefinitionEntity): Promise<void> {
  const sameKey = () => new Filter().equals('key_', deleted.key).equals('tenant_id', deleted.tenantId);
  const newer = sameKey().raw('version > ?', deleted.version);
  if ((await context.session.sql.select(`SELECT id FROM process_definition WHERE ${newer.where} LIMIT 1`, newer.bindings)).length > 0) return;
  const older = sameKey().raw('version < ?', deleted.version);
  const [previous] = await context.session.select(PROCESS_DEFINITION, older.where, older.bindings, 'ORDER BY version DESC LIMIT 1');
  if (previous) await takeOverStartEvents(context, await context.environment.deployments.get(context.session, previous.id), deleted);
}
