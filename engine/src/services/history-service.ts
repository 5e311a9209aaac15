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

export interface HistoricProcessInstanceQuery extends Page, Sorting<'startTime' | 'endTime' | 'businessKey'> {
  readonly processInstanceId?: string;
  readonly businessKey?: string;
  readonly processDefinitionKey?: string;
  readonly state?: ProcessInstanceState;
  readonly finished?: boolean;
}

export interface HistoricActivityInstanceQuery extends Page, Sorting<'sequence' | 'startTime' | 'endTime'> {
  readonly processInstanceId?: string;
  readonly activityId?: string;
  readonly activityType?: string;
  readonly finished?: boolean;
  readonly canceled?: boolean;
}

export interface HistoricTaskQuery extends Page, Sorting<'startTime' | 'endTime'> {
  readonly processInstanceId?: string;
  readonly assignee?: string;
  readonly taskDefinitionKey?: string;
  readonly finished?: boolean;
}

export interface OperationLogQuery extends Page, Sorting<'timestamp'> {
  readonly userId?: string;
  readonly processInstanceId?: string;
  readonly taskId?: string;
  readonly operationType?: string;
  readonly after?: Date;
  readonly before?: Date;
}

export class HistoryService extends ServiceBase {
  async getProcessInstance(processInstanceId: string): Promise<HistoricProcessInstanceEntity> {
    const instance = await this.query((s) => s.findById(HI_PROCESS_INSTANCE, processInstanceId));
    if (!instance) throw new NotFoundError(`Process instance '${processInstanceId}' has no history`);
    return instance;
  }

  listProcessInstances(query: HistoricProcessInstanceQuery = {}): Promise<HistoricProcessInstanceEntity[]> {
    const filter = new Filter()
      .equals('id', query.processInstanceId)
      .equals('business_key', query.businessKey)
      .equals('process_definition_key', query.processDefinitionKey)
      .equals('state', query.state)
      .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
    const sort = { startTime: 'start_time', endTime: 'end_time', businessKey: 'business_key' } as const;
    return this.query((s) => s.select(HI_PROCESS_INSTANCE, filter.where, filter.bindings, orderAndPage(query, sort, 'startTime', query)));
  }

  listActivityInstances(query: HistoricActivityInstanceQuery = {}): Promise<HistoricActivityInstanceEntity[]> {
    const filter = new Filter()
      .equals('process_instance_id', query.processInstanceId)
      .equals('activity_id', query.activityId)
      .equals('activity_type', query.activityType)
      .equals('canceled', query.canceled)
      .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
    const sort = { sequence: 'sequence_counter', startTime: 'start_time', endTime: 'end_time' } as const;
    return this.query((s) => s.select(HI_ACTIVITY_INSTANCE, filter.where, filter.bindings, orderAndPage(query, sort, 'sequence', query)));
  }

  listTasks(query: HistoricTaskQuery = {}): Promise<HistoricTaskEntity[]> {
    const filter = new Filter()
      .equals('process_instance_id', query.processInstanceId)
      .equals('assignee', query.assignee)
      .equals('task_definition_key', query.taskDefinitionKey)
      .isNull('end_time', query.finished === undefined ? undefined : !query.finished);
    const sort = { startTime: 'start_time', endTime: 'end_time' } as const;
    return this.query((s) => s.select(HI_TASK, filter.where, filter.bindings, orderAndPage(query, sort, 'startTime', query)));
  }

  listVariables(processInstanceId: string): Promise<HistoricVariableEntity[]> {
    return this.query((s) => s.select(HI_VARIABLE, 'process_instance_id = $1', [processInstanceId], 'ORDER BY name'));
  }

  listVariableUpdates(processInstanceId: string, variableName?: string): Promise<HistoricVariableUpdateEntity[]> {
    const filter = new Filter().equals('process_instance_id', processInstanceId).equals('name', variableName);
    return this.query((s) => s.select(HI_VARIABLE_UPDATE, filter.where, filter.bindings, 'ORDER BY time, revision'));
  }

  listOperationLog(query: OperationLogQuery = {}): Promise<OperationLogEntity[]> {
    const filter = new Filter()
      .equals('user_id', query.userId)
      .equals('process_instance_id', query.processInstanceId)
      .equals('task_id', query.taskId)
      .equals('operation_type', query.operationType)
      .compare('timestamp', '>=', query.after)
      .compare('timestamp', '<', query.before);
    return this.query((s) => s.select(HI_OPERATION_LOG, filter.where, filter.bindings, orderAndPage(query, { timestamp: 'timestamp' }, 'timestamp', query)));
  }
}
