import { NotFoundError } from '../errors/index.js';
import {
  HI_ACTIVITY_INSTANCE,
  HI_OPERATION_LOG,
  HI_PROCESS_INSTANCE,
  HI_TASK,
  HI_VARIABLE,
  HI_VARIABLE_UPDATE,
  type HistoricActivityInstanceEntity,
  type HistoricProcessInstanceEntity,
  type HistoricTaskEntity,
  type HistoricVariableEntity,
  type HistoricVariableUpdateEntity,
  type OperationLogEntity,
  type ProcessInstanceState,
} from '../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from './query.js';
import { ServiceBase } from './service-base.js';

export interface HistoricProcessInstanceQuery extends Page, Sorting<HistoricProcessInstanceSortKey> {
  readonly processInstanceId?: string;
  readonly processInstanceIds?: readonly string[];
  readonly businessKey?: string;
  readonly businessKeyLike?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly processDefinitionKeyIn?: readonly string[];
  readonly superProcessInstanceId?: string;
  readonly startedBy?: string;
  readonly startedBefore?: Date;
  readonly startedAfter?: Date;
  readonly finishedBefore?: Date;
  readonly finishedAfter?: Date;
  readonly state?: ProcessInstanceState;
  readonly finished?: boolean;
  readonly tenantIdIn?: readonly string[];
}

export interface HistoricActivityInstanceQuery extends Page, Sorting<HistoricActivityInstanceSortKey> {
  readonly activityInstanceId?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly executionId?: string;
  readonly activityId?: string;
  readonly activityType?: string;
  readonly taskAssignee?: string;
  readonly finished?: boolean;
  readonly canceled?: boolean;
}

export interface HistoricTaskQuery extends Page, Sorting<HistoricTaskSortKey> {
  readonly taskId?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly executionId?: string;
  readonly assignee?: string;
  readonly taskDefinitionKey?: string;
  readonly finished?: boolean;
}

export interface HistoricVariableQuery extends Page, Sorting<'instanceId' | 'variableName' | 'tenantId'> {
  readonly variableName?: string;
  readonly variableNameLike?: string;
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly executionIdIn?: readonly string[];
  readonly taskIdIn?: readonly string[];
  /** deleted variables are left out unless asked for, as in Camunda */
  readonly includeDeleted?: boolean;
}

export interface OperationLogQuery extends Page, Sorting<'timestamp'> {
  readonly userId?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly processDefinitionKey?: string;
  readonly taskId?: string;
  readonly externalTaskId?: string;
  readonly operationType?: string;
  readonly entityType?: string;
  readonly after?: Date;
  readonly before?: Date;
}

/** Sort keys as Camunda's REST API names them (plus the engine's earlier names), mapped to columns. */
const PROCESS_INSTANCE_SORT = {
  instanceId: 'id', definitionId: 'process_definition_id', definitionKey: 'process_definition_key', businessKey: 'business_key',
  startTime: 'start_time', endTime: 'end_time', duration: 'duration_ms', tenantId: 'tenant_id',
} as const;
const ACTIVITY_INSTANCE_SORT = {
  activityInstanceId: 'id', instanceId: 'process_instance_id', executionId: 'execution_id', activityId: 'activity_id',
  activityName: 'activity_name', activityType: 'activity_type', startTime: 'start_time', endTime: 'end_time',
  duration: 'duration_ms', definitionId: 'process_definition_id', occurrence: 'sequence_counter', sequence: 'sequence_counter',
  tenantId: 'tenant_id',
} as const;
const TASK_SORT = {
  taskId: 'id', activityInstanceId: 'activity_instance_id', processDefinitionId: 'process_definition_id',
  processInstanceId: 'process_instance_id', executionId: 'execution_id', duration: 'duration_ms', endTime: 'end_time',
  startTime: 'start_time', taskName: 'name', taskDescription: 'description', assignee: 'assignee', owner: 'owner',
  dueDate: 'due_date', followUpDate: 'follow_up_date', deleteReason: 'delete_reason', taskDefinitionKey: 'task_definition_key',
  priority: 'priority', tenantId: 'tenant_id',
} as const;
const VARIABLE_SORT = { instanceId: 'process_instance_id', variableName: 'name', tenantId: 'tenant_id' } as const;

export type HistoricProcessInstanceSortKey = keyof typeof PROCESS_INSTANCE_SORT;
export type HistoricActivityInstanceSortKey = keyof typeof ACTIVITY_INSTANCE_SORT;
export type HistoricTaskSortKey = keyof typeof TASK_SORT;

export class HistoryService extends ServiceBase {
  async getProcessInstance(processInstanceId: string): Promise<HistoricProcessInstanceEntity> {
    const instance = await this.query((s) => s.findById(HI_PROCESS_INSTANCE, processInstanceId));
    if (!instance) throw new NotFoundError(`Process instance '${processInstanceId}' has no history`);
    return instance;
  }

  listProcessInstances(query: HistoricProcessInstanceQuery = {}): Promise<HistoricProcessInstanceEntity[]> {
    const filter = processInstanceFilter(query);
    return this.query((s) => s.select(HI_PROCESS_INSTANCE, filter.where, filter.bindings, orderAndPage(query, PROCESS_INSTANCE_SORT, 'startTime', query)));
  }

  countProcessInstances(query: HistoricProcessInstanceQuery = {}): Promise<number> {
    return this.count(HI_PROCESS_INSTANCE.name, processInstanceFilter(query));
  }

  listActivityInstances(query: HistoricActivityInstanceQuery = {}): Promise<HistoricActivityInstanceEntity[]> {
    const filter = activityInstanceFilter(query);
    return this.query((s) => s.select(HI_ACTIVITY_INSTANCE, filter.where, filter.bindings, orderAndPage(query, ACTIVITY_INSTANCE_SORT, 'sequence', query)));
  }

  countActivityInstances(query: HistoricActivityInstanceQuery = {}): Promise<number> {
    return this.count(HI_ACTIVITY_INSTANCE.name, activityInstanceFilter(query));
  }

  listTasks(query: HistoricTaskQuery = {}): Promise<HistoricTaskEntity[]> {
    const filter = taskFilter(query);
    return this.query((s) => s.select(HI_TASK, filter.where, filter.bindings, orderAndPage(query, TASK_SORT, 'startTime', query)));
  }

  countTasks(query: HistoricTaskQuery = {}): Promise<number> {
    return this.count(HI_TASK.name, taskFilter(query));
  }

  listVariables(processInstanceId: string): Promise<HistoricVariableEntity[]> {
    return this.query((s) => s.select(HI_VARIABLE, 'process_instance_id = $1', [processInstanceId], 'ORDER BY name'));
  }

  /** Variables across instances, as `/history/variable-instance` asks for them. */
  listVariableInstances(query: HistoricVariableQuery = {}): Promise<HistoricVariableEntity[]> {
    const filter = variableFilter(query);
    return this.query((s) => s.select(HI_VARIABLE, filter.where, filter.bindings, orderAndPage(query, VARIABLE_SORT, 'variableName', query)));
  }

  countVariableInstances(query: HistoricVariableQuery = {}): Promise<number> {
    return this.count(HI_VARIABLE.name, variableFilter(query));
  }

  listVariableUpdates(processInstanceId: string, variableName?: string): Promise<HistoricVariableUpdateEntity[]> {
    const filter = new Filter().equals('process_instance_id', processInstanceId).equals('name', variableName);
    return this.query((s) => s.select(HI_VARIABLE_UPDATE, filter.where, filter.bindings, 'ORDER BY time, revision'));
  }

  listOperationLog(query: OperationLogQuery = {}): Promise<OperationLogEntity[]> {
    const filter = operationLogFilter(query);
    return this.query((s) => s.select(HI_OPERATION_LOG, filter.where, filter.bindings, orderAndPage(query, { timestamp: 'timestamp' }, 'timestamp', query)));
  }

  countOperationLog(query: OperationLogQuery = {}): Promise<number> {
    return this.count(HI_OPERATION_LOG.name, operationLogFilter(query));
  }

  private count(table: string, filter: Filter): Promise<number> {
    return this.query((s) => s.count({ name: table }, filter.where, filter.bindings));
  }
}

function processInstanceFilter(query: HistoricProcessInstanceQuery): Filter {
  return new Filter()
    .equals('id', query.processInstanceId)
    .in('id', query.processInstanceIds)
    .equals('business_key', query.businessKey)
    .like('business_key', query.businessKeyLike)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('process_definition_key', query.processDefinitionKey)
    .in('process_definition_key', query.processDefinitionKeyIn)
    .equals('super_process_instance_id', query.superProcessInstanceId)
    .equals('start_user_id', query.startedBy)
    .compare('start_time', '<=', query.startedBefore)
    .compare('start_time', '>=', query.startedAfter)
    .compare('end_time', '<=', query.finishedBefore)
    .compare('end_time', '>=', query.finishedAfter)
    .equals('state', query.state)
    .in('tenant_id', query.tenantIdIn)
    .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
}

function activityInstanceFilter(query: HistoricActivityInstanceQuery): Filter {
  return new Filter()
    .equals('id', query.activityInstanceId)
    .equals('process_instance_id', query.processInstanceId)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('execution_id', query.executionId)
    .equals('activity_id', query.activityId)
    .equals('activity_type', query.activityType)
    .equals('assignee', query.taskAssignee)
    .equals('canceled', query.canceled)
    .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
}

function taskFilter(query: HistoricTaskQuery): Filter {
  const filter = new Filter()
    .equals('id', query.taskId)
    .equals('process_instance_id', query.processInstanceId)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('execution_id', query.executionId)
    .equals('assignee', query.assignee)
    .equals('task_definition_key', query.taskDefinitionKey)
    .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
  if (query.processDefinitionKey !== undefined) {
    filter.raw('process_definition_id IN (SELECT id FROM process_definition WHERE key_ = ?)', query.processDefinitionKey);
  }
  return filter;
}

function variableFilter(query: HistoricVariableQuery): Filter {
  return new Filter()
    .equals('name', query.variableName)
    .like('name', query.variableNameLike)
    .equals('process_instance_id', query.processInstanceId)
    .in('process_instance_id', query.processInstanceIdIn)
    .in('execution_id', query.executionIdIn)
    .in('task_id', query.taskIdIn)
    .equals('state', query.includeDeleted ? undefined : 'CREATED');
}

function operationLogFilter(query: OperationLogQuery): Filter {
  return new Filter()
    .equals('user_id', query.userId)
    .equals('process_instance_id', query.processInstanceId)
    .equals('process_definition_id', query.processDefinitionId)
    .equals('process_definition_key', query.processDefinitionKey)
    .equals('task_id', query.taskId)
    .equals('external_task_id', query.externalTaskId)
    .equals('operation_type', query.operationType)
    .equals('entity_type', query.entityType)
    .compare('timestamp', '>=', query.after)
    .compare('timestamp', '<', query.before);
}
