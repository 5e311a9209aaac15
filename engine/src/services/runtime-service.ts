import { NotFoundError } from '../errors/index.js';
import { visibleFrom } from '../bpmn/execute/index.js';
import { EXECUTION, HI_PROCESS_INSTANCE, VARIABLE, type DbSession } from '../persistence/index.js';
import { fromStoredValue, type TypedValue, type VariableMap } from '../variables/index.js';
import {
  DeleteProcessInstanceCmd,
  SetVariablesCmd,
  StartProcessInstanceCmd,
  TriggerExecutionCmd,
  type ProcessInstance,
} from './commands/process-instance.js';
import { CorrelateMessageCmd, SignalCmd, type MessageCorrelation, type MessageCorrelationResult, type SignalInput } from './commands/events.js';
import { activityInstanceTree, type ActivityInstance } from './activity-instance-tree.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface StartOptions {
  readonly businessKey?: string | null;
  readonly variables?: VariableMap;
  readonly tenantId?: string | null;
}

export interface ProcessInstanceQuery extends Page, Sorting<'instanceId' | 'definitionId' | 'businessKey'> {
  readonly processInstanceIds?: readonly string[];
  readonly businessKey?: string;
  readonly businessKeyLike?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  /** instances with a token in one of these activities */
  readonly activityIdIn?: readonly string[];
  readonly tenantIdIn?: readonly string[];
  /** instances with at least one open incident */
  readonly withIncident?: boolean;
  /** instances cannot be suspended yet: `true` matches none, `false` all */
  readonly suspended?: boolean;
}

const INSTANCE_SORT = { instanceId: 'id', definitionId: 'process_definition_id', businessKey: 'business_key' } as const;

export class RuntimeService extends ServiceBase {
  startProcessInstanceByKey(key: string, options: StartOptions = {}): Promise<ProcessInstance> {
    const { tenantId, ...rest } = options;
    return this.run(new StartProcessInstanceCmd({ definition: { key, tenantId: tenantId ?? null }, ...rest }));
  }

  startProcessInstanceById(id: string, options: Omit<StartOptions, 'tenantId'> = {}): Promise<ProcessInstance> {
    return this.run(new StartProcessInstanceCmd({ definition: { id }, ...options }));
  }

  async deleteProcessInstance(processInstanceId: string, reason: string | null = null): Promise<void> {
    await this.requireVisible(HI_PROCESS_INSTANCE, processInstanceId, 'Process instance');
    return this.run(new DeleteProcessInstanceCmd(processInstanceId, reason));
  }

  /** Moves on a token waiting in a receive task. */
  async trigger(executionId: string, variables: VariableMap = {}): Promise<void> {
    await this.requireVisible(EXECUTION, executionId, 'Execution');
    return this.run(new TriggerExecutionCmd(executionId, variables));
  }

  /** Delivers a message to the one waiting execution or message start event that matches (to every match with `all`). */
  correlateMessage(correlation: MessageCorrelation): Promise<MessageCorrelationResult[]> {
    return this.run(new CorrelateMessageCmd(correlation));
  }

  /** Throws a signal to everything waiting for it; answers how many subscriptions it reached. */
  signalEventReceived(signal: SignalInput): Promise<number> {
    return this.run(new SignalCmd(signal));
  }

  setVariables(executionId: string, variables: VariableMap): Promise<void> {
    return this.changeVariables(new SetVariablesCmd(executionId, variables, false), executionId);
  }

  setVariablesLocal(executionId: string, variables: VariableMap): Promise<void> {
    return this.changeVariables(new SetVariablesCmd(executionId, variables, true), executionId);
  }

  /** Sets and removes variables in one command, as `POST .../variables { modifications, deletions }` asks. */
  modifyVariables(executionId: string, modifications: VariableMap, deletions: readonly string[]): Promise<void> {
    return this.changeVariables(new SetVariablesCmd(executionId, modifications, false, deletions), executionId);
  }

  removeVariables(executionId: string, names: readonly string[]): Promise<void> {
    return this.changeVariables(new SetVariablesCmd(executionId, {}, false, names), executionId);
  }

  private async changeVariables(command: SetVariablesCmd, executionId: string): Promise<void> {
    await this.requireVisible(EXECUTION, executionId, 'Execution');
    return this.run(command);
  }

  async getProcessInstance(processInstanceId: string): Promise<ProcessInstance> {
    const [instance] = await this.listProcessInstances({ processInstanceIds: [processInstanceId] });
    if (!instance) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist or has ended`);
    return instance;
  }

  async listProcessInstances(query: ProcessInstanceQuery = {}): Promise<ProcessInstance[]> {
    const filter = instanceFilter(query);
    const roots = await this.query((s) => s.select(EXECUTION, filter.where, filter.bindings, orderAndPage(query, INSTANCE_SORT, 'instanceId', query)));
    return roots.map((root) => ({
      id: root.id,
      definitionId: root.processDefinitionId,
      businessKey: root.businessKey,
      ended: false,
      suspended: false,
      tenantId: root.tenantId,
    }));
  }

  countProcessInstances(query: ProcessInstanceQuery = {}): Promise<number> {
    const filter = instanceFilter(query);
    return this.query((s) => s.count({ name: 'execution' }, filter.where, filter.bindings));
  }

  /** Activities where the instance's active tokens stand, sorted; tokens waiting at a join are not active (as in Camunda). */
  async getActiveActivityIds(processInstanceId: string): Promise<string[]> {
    const executions = await this.query((s) => s.select(EXECUTION, 'process_instance_id = $1', [processInstanceId]));
    if (executions.length === 0) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist or has ended`);
    const scopes = new Set(executions.map((e) => e.parentId));
    return executions
      .filter((e) => e.activityId !== null && e.state === 'ACTIVE' && !scopes.has(e.id))
      .map((e) => e.activityId as string)
      .sort();
  }

  /** Camunda's activity instance tree of a running instance. */
  getActivityInstance(processInstanceId: string): Promise<ActivityInstance> {
    return this.query((s) => activityInstanceTree(s, processInstanceId));
  }

  /** Variables visible from an execution (its own, then its scopes' up to the instance). */
  getVariables(executionId: string): Promise<Map<string, TypedValue>> {
    return this.query((s) => visibleVariables(s, executionId));
  }

  /** Variables of the execution itself, not of its scopes (Camunda's `getVariablesLocal`). */
  getVariablesLocal(executionId: string): Promise<Map<string, TypedValue>> {
    return this.query(async (s) => {
      if (!(await s.findById(EXECUTION, executionId))) throw new NotFoundError(`Execution '${executionId}' does not exist or has ended`);
      const rows = await s.select(VARIABLE, 'execution_id = $1 AND task_id IS NULL', [executionId]);
      return new Map(rows.map((row) => [row.name, fromStoredValue(row)]));
    });
  }

  async getVariable(executionId: string, name: string): Promise<unknown> {
    return (await this.getVariables(executionId)).get(name)?.value ?? null;
  }
}

function instanceFilter(query: ProcessInstanceQuery): Filter {
  const filter = new Filter()
    .raw('parent_id IS NULL')
    .in('id', query.processInstanceIds)
    .equals('business_key', query.businessKey)
    .like('business_key', query.businessKeyLike)
    .equals('process_definition_id', query.processDefinitionId)
    .in('tenant_id', query.tenantIdIn);
  if (query.processDefinitionKey !== undefined) {
    filter.raw('process_definition_id IN (SELECT id FROM process_definition WHERE key_ = ?)', query.processDefinitionKey);
  }
  if (query.withIncident) filter.raw('id IN (SELECT process_instance_id FROM incident WHERE process_instance_id IS NOT NULL)');
  if (query.suspended) filter.raw('1 = 0');
  if (query.activityIdIn !== undefined) {
    // an empty list matches nothing, like every other `...In` filter
    const marks = query.activityIdIn.length > 0 ? query.activityIdIn.map(() => '?').join(', ') : 'NULL';
    filter.raw(`id IN (SELECT process_instance_id FROM execution WHERE activity_id IN (${marks}))`, ...query.activityIdIn);
  }
  return filter;
}

export async function visibleVariables(session: DbSession, executionId: string): Promise<Map<string, TypedValue>> {
  const execution = await session.findById(EXECUTION, executionId);
  if (!execution) throw new NotFoundError(`Execution '${executionId}' does not exist or has ended`);
  const [executions, variables] = await Promise.all([
    session.select(EXECUTION, 'process_instance_id = $1', [execution.processInstanceId]),
    session.select(VARIABLE, 'process_instance_id = $1', [execution.processInstanceId]),
  ]);
  return visibleFrom(execution, new Map(executions.map((e) => [e.id, e])), variables);
}
