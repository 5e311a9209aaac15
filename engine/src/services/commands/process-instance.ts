import { recordAction } from '../../tasks/timeline.js';
import type { Command, CommandContext } from '../../command/index.js';
import { cancelCallingActivity, InstanceRuntime } from '../../bpmn/execute/index.js';
import { BadUserRequestError, ConflictError, NotFoundError } from '../../errors/index.js';
import { EXECUTION, PROCESS_DEFINITION, type ExecutionEntity, type ProcessDefinitionEntity } from '../../persistence/index.js';
import type { VariableMap } from '../../variables/index.js';
import { Filter } from '../query.js';

/** By id, or the latest version of a key; `orShared`: the tenant's own, else the shared one. */
export type DefinitionSelector = { readonly id: string } | { readonly key: string; readonly tenantId?: string | null; readonly orShared?: boolean };

export interface StartInput {
  readonly definition: DefinitionSelector;
  readonly businessKey?: string | null;
  readonly variables?: VariableMap;
}

export interface ProcessInstance {
  readonly id: string;
  readonly definitionId: string;
  readonly businessKey: string | null;
  readonly ended: boolean;
  readonly suspended: boolean;
  readonly tenantId: string | null;
}

export class StartProcessInstanceCmd implements Command<ProcessInstance> {
  readonly name = 'StartProcessInstance';

  constructor(private readonly input: StartInput) {}

  async execute(context: CommandContext): Promise<ProcessInstance> {
    checkBusinessKey(this.input.businessKey);
    const definition = await findDefinition(context, this.input.definition);
    const runtime = await startInstance(context, definition, { businessKey: this.input.businessKey ?? null, variables: this.input.variables ?? {} });
    context.logOperation({
      operationType: 'Create',
      entityType: 'ProcessInstance',
      processInstanceId: runtime.root.id,
      processDefinitionId: definition.id,
      processDefinitionKey: definition.key,
      tenantId: definition.tenantId,
    });
    return {
      id: runtime.root.id,
      definitionId: definition.id,
      businessKey: runtime.root.businessKey,
      ended: runtime.ended,
      suspended: false,
      tenantId: definition.tenantId,
    };
  }
}

export interface InstanceStart {
  readonly businessKey?: string | null;
  readonly variables?: VariableMap;
  /** the tenant of an instance of a shared definition when nobody starts it (else the starter's) */
  readonly tenantId?: string | null;
}

/**
 * Starts an instance of the definition at its none start event, with its timeline's `start`
 * entry (naming the command's user, or nobody): a suspended definition is a 409, one without a
 * none start event a 400. The one start path of StartProcessInstanceCmd and the public reports.
 */
export async function startInstance(context: CommandContext, definition: ProcessDefinitionEntity, start: InstanceStart = {}): Promise<InstanceRuntime> {
  if (definition.suspended) throw new ConflictError(`Process definition '${definition.id}' is suspended and cannot start instances`);
  const process = await context.environment.deployments.get(context.session, definition.id);
  const runtime = InstanceRuntime.create(context, process, start.businessKey ?? null, null, start.tenantId);
  const startActivity = process.model.root.startActivity;
  await recordAction(context, {
    processInstanceId: runtime.root.id, tenantId: runtime.root.tenantId, operation: 'start', activityId: startActivity?.id, activityName: startActivity?.name,
  });
  await runtime.start(start.variables ?? {});
  return runtime;
}

/** The width of the business_key columns: checked here, so SQLite (which does not enforce it) refuses the same keys as MariaDB. */
const MAX_BUSINESS_KEY_LENGTH = 255;

function checkBusinessKey(businessKey: string | null | undefined): void {
  if (typeof businessKey === 'string' && businessKey.length > MAX_BUSINESS_KEY_LENGTH) {
    throw new BadUserRequestError(`businessKey must be at most ${MAX_BUSINESS_KEY_LENGTH} characters, got ${businessKey.length}`);
  }
}

/**
 * By id, or the latest version of a key: within the tenant named (with `orShared`, then among the
 * shared ones), else (for a person) their own tenant's before the shared one, else among
 * definitions without a tenant. Reads through the caller's session (a command's, or a read's
 * with `actor: null`).
 */
export async function findDefinition(context: Pick<CommandContext, 'session' | 'actor'>, selector: DefinitionSelector): Promise<ProcessDefinitionEntity> {
  if ('id' in selector) {
    const definition = await context.session.findById(PROCESS_DEFINITION, selector.id);
    if (!definition) throw new NotFoundError(`Process definition '${selector.id}' does not exist`);
    return definition;
  }
  const named = selector.tenantId ?? null;
  const candidates = named !== null ? (selector.orShared ? [named, null] : [named]) : context.actor?.tenantId ? [context.actor.tenantId, null] : [null];
  for (const tenantId of candidates) {
    const sameKey = new Filter().equals('key_', selector.key).equals('tenant_id', tenantId);
    const [latest] = await context.session.select(PROCESS_DEFINITION, sameKey.where, sameKey.bindings, 'ORDER BY version DESC LIMIT 1');
    if (latest) return latest;
  }
  throw new NotFoundError(`No process definition with key '${selector.key}'${named ? ` for tenant '${named}'` : ''} is deployed`);
}

async function loadExecution(context: CommandContext, executionId: string): Promise<{ runtime: InstanceRuntime; execution: ExecutionEntity }> {
  const execution = await context.session.findById(EXECUTION, executionId);
  if (!execution) throw new NotFoundError(`Execution '${executionId}' does not exist or has ended`);
  const runtime = await InstanceRuntime.load(context, execution.processInstanceId);
  return { runtime, execution: runtime.execution(executionId) };
}

export class DeleteProcessInstanceCmd implements Command<void> {
  readonly name = 'DeleteProcessInstance';

  constructor(
    private readonly processInstanceId: string,
    private readonly reason: string | null,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const runtime = await InstanceRuntime.load(context, this.processInstanceId);
    await runtime.terminate(this.reason ?? 'deleted');
    // as in Camunda, a called instance deleted on its own cancels the call activity waiting for it
    await cancelCallingActivity(runtime, this.reason ?? 'deleted');
    context.logOperation({
      operationType: 'Delete',
      entityType: 'ProcessInstance',
      processInstanceId: runtime.root.id,
      processDefinitionId: runtime.root.processDefinitionId,
      processDefinitionKey: runtime.process.definition.key,
      newValue: this.reason,
      tenantId: runtime.root.tenantId,
    });
  }
}

/** Moves a token waiting in a receive task on. User and external tasks are completed instead. */
export class TriggerExecutionCmd implements Command<void> {
  readonly name = 'TriggerExecution';

  constructor(
    private readonly executionId: string,
    private readonly variables: VariableMap,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { runtime, execution } = await loadExecution(context, this.executionId);
    const activity = execution.activityId ? runtime.activityOf(execution) : null;
    if (activity?.kind !== 'receiveTask') {
      throw new BadUserRequestError(
        `Execution '${this.executionId}' is not waiting in a receive task${activity ? ` but in ${activity.activityType} '${activity.id}'` : ''}`,
      );
    }
    await runtime.setVariables(execution, this.variables);
    await runtime.signal(execution);
  }
}

export class SetVariablesCmd implements Command<void> {
  readonly name = 'SetVariables';

  constructor(
    private readonly executionId: string,
    private readonly variables: VariableMap,
    private readonly local: boolean,
    private readonly removals: readonly string[] = [],
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { runtime, execution } = await loadExecution(context, this.executionId);
    await runtime.setVariables(execution, this.variables, this.local);
    for (const name of this.removals) await runtime.variables.remove(this.local ? [execution] : runtime.chain(execution), name);
    const names = [...Object.keys(this.variables), ...this.removals];
    context.logOperation({
      operationType: 'ModifyVariable',
      entityType: 'Variable',
      processInstanceId: runtime.root.id,
      processDefinitionId: runtime.root.processDefinitionId,
      property: 'names',
      newValue: names.join(','),
      tenantId: runtime.root.tenantId,
    });
  }
}
