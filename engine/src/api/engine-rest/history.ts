import type Router from '@koa/router';
import { BadUserRequestError, NotFoundError } from '../../errors/index.js';
import type {
  HistoricActivityInstanceEntity,
  HistoricProcessInstanceEntity,
  HistoricTaskEntity,
  HistoricVariableEntity,
  OperationLogEntity,
  ProcessDefinitionEntity,
  ProcessInstanceState,
} from '../../persistence/index.js';
import type { EngineServices } from '../../services/index.js';
import { fromStoredValue } from '../../variables/index.js';
import { formatDate } from './dates.js';
import { read, sendJson } from './http.js';
import { filter, listRoutes, type Parameters } from './list-routes.js';
import type { RestContext } from './rest-context.js';
import { variableToRest } from './variables.js';
import { permit } from './permit.js';

/**
 * `/history/process-instance`, `/history/activity-instance`, `/history/task`,
 * `/history/variable-instance` and `/history/user-operation`: lists with their `/count` twins (GET,
 * and POST where Camunda has it), and a historic process instance by id.
 */
export function historyRoutes(router: Router, rest: RestContext): void {
  listRoutes(router, rest, {
    path: '/history/process-instance',
    post: true,
    permission: 'history:read',
    filters: processInstanceFilters,
    list: (services, query) => services.historyService.listProcessInstances(query),
    count: (services, query) => services.historyService.countProcessInstances(query),
    toDtos: async (services, instances, context) => {
      const lookups = new HistoryLookups(services);
      return Promise.all(instances.map((instance) => historicProcessInstanceDto(instance, lookups, context)));
    },
  });
  router.get('/history/process-instance/:id', permit('history:read'), async (ctx) => {
    const services = rest.services(ctx);
    const instance = await services.historyService.getProcessInstance(ctx.params.id as string);
    sendJson(ctx, await historicProcessInstanceDto(instance, new HistoryLookups(services), rest));
  });

  listRoutes(router, rest, {
    path: '/history/activity-instance',
    post: true,
    permission: 'history:read',
    filters: (p) => ({
      activityInstanceId: read.string(p, 'activityInstanceId'),
      processInstanceId: read.string(p, 'processInstanceId'),
      processDefinitionId: read.string(p, 'processDefinitionId'),
      executionId: read.string(p, 'executionId'),
      activityId: read.string(p, 'activityId'),
      activityType: read.string(p, 'activityType'),
      taskAssignee: read.string(p, 'taskAssignee'),
      canceled: read.boolean(p, 'canceled') || undefined,
      finished: filter.either(p, 'finished', 'unfinished'),
    }),
    list: (services, query) => services.historyService.listActivityInstances(query),
    count: (services, query) => services.historyService.countActivityInstances(query),
    toDtos: async (services, activities, context) => {
      const lookups = new HistoryLookups(services);
      return Promise.all(activities.map((activity) => historicActivityInstanceDto(activity, lookups, context)));
    },
  });

  listRoutes(router, rest, {
    path: '/history/task',
    post: true,
    permission: 'history:read',
    filters: (p) => ({
      taskId: read.string(p, 'taskId'),
      processInstanceId: read.string(p, 'processInstanceId'),
      processDefinitionId: read.string(p, 'processDefinitionId'),
      processDefinitionKey: read.string(p, 'processDefinitionKey'),
      executionId: read.string(p, 'executionId'),
      assignee: read.string(p, 'taskAssignee'),
      taskDefinitionKey: read.string(p, 'taskDefinitionKey'),
      finished: filter.either(p, 'finished', 'unfinished'),
    }),
    list: (services, query) => services.historyService.listTasks(query),
    count: (services, query) => services.historyService.countTasks(query),
    toDtos: async (services, tasks, context) => {
      const lookups = new HistoryLookups(services);
      return Promise.all(tasks.map((task) => historicTaskDto(task, lookups, context)));
    },
  });

  listRoutes(router, rest, {
    path: '/history/variable-instance',
    post: true,
    permission: 'history:read',
    filters: (p) => ({
      variableName: read.string(p, 'variableName'),
      variableNameLike: read.string(p, 'variableNameLike'),
      processInstanceId: read.string(p, 'processInstanceId'),
      processInstanceIdIn: read.list(p, 'processInstanceIdIn'),
      executionIdIn: read.list(p, 'executionIdIn'),
      taskIdIn: read.list(p, 'taskIdIn'),
      includeDeleted: read.boolean(p, 'includeDeleted'),
    }),
    list: (services, query) => services.historyService.listVariableInstances(query),
    count: (services, query) => services.historyService.countVariableInstances(query),
    toDtos: async (services, variables, context) => {
      const lookups = new HistoryLookups(services);
      return Promise.all(variables.map((variable) => historicVariableDto(variable, lookups, context)));
    },
  });

  listRoutes(router, rest, {
    path: '/history/user-operation',
    post: false,
    permission: 'history:read',
    filters: (p, context) => ({
      userId: read.string(p, 'userId'),
      processInstanceId: read.string(p, 'processInstanceId'),
      processDefinitionId: read.string(p, 'processDefinitionId'),
      processDefinitionKey: read.string(p, 'processDefinitionKey'),
      taskId: read.string(p, 'taskId'),
      externalTaskId: read.string(p, 'externalTaskId'),
      operationType: read.string(p, 'operationType'),
      entityType: read.string(p, 'entityType'),
      after: filter.date(p, 'afterTimestamp', context),
      before: filter.date(p, 'beforeTimestamp', context),
    }),
    list: (services, query) => services.historyService.listOperationLog(query),
    count: (services, query) => services.historyService.countOperationLog(query),
    toDtos: async (_services, entries, context) => entries.map((entry) => userOperationDto(entry, context)),
  });
}

const STATE_FLAGS: Record<string, ProcessInstanceState> = {
  active: 'ACTIVE',
  completed: 'COMPLETED',
  externallyTerminated: 'EXTERNALLY_TERMINATED',
  internallyTerminated: 'INTERNALLY_TERMINATED',
};

function processInstanceFilters(p: Parameters, rest: RestContext) {
  const states = Object.entries(STATE_FLAGS).filter(([flag]) => read.boolean(p, flag) === true);
  if (states.length > 1) throw new BadUserRequestError(`Only one of ${Object.keys(STATE_FLAGS).join(', ')} may be set`);
  return {
    processInstanceId: read.string(p, 'processInstanceId'),
    processInstanceIds: read.list(p, 'processInstanceIds'),
    processDefinitionId: read.string(p, 'processDefinitionId'),
    processDefinitionKey: read.string(p, 'processDefinitionKey'),
    processDefinitionKeyIn: read.list(p, 'processDefinitionKeyIn'),
    businessKey: read.string(p, 'processInstanceBusinessKey'),
    businessKeyLike: read.string(p, 'processInstanceBusinessKeyLike'),
    superProcessInstanceId: read.string(p, 'superProcessInstanceId'),
    startedBy: read.string(p, 'startedBy'),
    startedBefore: filter.date(p, 'startedBefore', rest),
    startedAfter: filter.date(p, 'startedAfter', rest),
    finishedBefore: filter.date(p, 'finishedBefore', rest),
    finishedAfter: filter.date(p, 'finishedAfter', rest),
    tenantIdIn: read.list(p, 'tenantIdIn'),
    finished: filter.either(p, 'finished', 'unfinished'),
    state: states[0]?.[1],
  };
}

/**
 * What the DTOs need beyond their own row — the definition's key, name and version, the root of a
 * call hierarchy — looked up once per request however many rows share it.
 */
class HistoryLookups {
  private readonly definitions = new Map<string, Promise<ProcessDefinitionEntity | null>>();
  private readonly instances = new Map<string, Promise<HistoricProcessInstanceEntity | null>>();

  constructor(private readonly services: EngineServices) {}

  definition(id: string): Promise<ProcessDefinitionEntity | null> {
    let found = this.definitions.get(id);
    if (!found) {
      found = this.services.repositoryService.getProcessDefinition(id).catch(absentIfNotFound);
      this.definitions.set(id, found);
    }
    return found;
  }

  instance(id: string): Promise<HistoricProcessInstanceEntity | null> {
    let found = this.instances.get(id);
    if (!found) {
      found = this.services.historyService.getProcessInstance(id).catch(absentIfNotFound);
      this.instances.set(id, found);
    }
    return found;
  }

  /** The top of the call hierarchy an instance belongs to (itself when nothing called it). */
  async rootOf(instance: HistoricProcessInstanceEntity): Promise<string> {
    let current = instance;
    const seen = new Set<string>([current.id]);
    while (current.superProcessInstanceId && !seen.has(current.superProcessInstanceId)) {
      const parent = await this.instance(current.superProcessInstanceId);
      if (!parent) return current.superProcessInstanceId;
      seen.add(parent.id);
      current = parent;
    }
    return current.id;
  }

  async rootOfId(processInstanceId: string): Promise<string | null> {
    const instance = await this.instance(processInstanceId);
    return instance ? this.rootOf(instance) : null;
  }
}

function absentIfNotFound(error: unknown): null {
  if (error instanceof NotFoundError) return null;
  throw error;
}

async function historicProcessInstanceDto(instance: HistoricProcessInstanceEntity, lookups: HistoryLookups, rest: RestContext) {
  const definition = await lookups.definition(instance.processDefinitionId);
  return {
    id: instance.id,
    rootProcessInstanceId: await lookups.rootOf(instance),
    superProcessInstanceId: instance.superProcessInstanceId,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: definition?.name ?? null,
    processDefinitionKey: instance.processDefinitionKey,
    processDefinitionVersion: definition?.version ?? null,
    processDefinitionId: instance.processDefinitionId,
    businessKey: instance.businessKey,
    startTime: formatDate(instance.startTime, rest.timeZone),
    endTime: formatDate(instance.endTime, rest.timeZone),
    removalTime: null,
    durationInMillis: instance.durationMs,
    startUserId: instance.startUserId,
    startActivityId: instance.startActivityId,
    deleteReason: instance.deleteReason,
    tenantId: instance.tenantId,
    state: instance.state,
  };
}

/** Camunda marks the activity instance that completed its scope: an end event that ended normally. */
function completesScope(activity: HistoricActivityInstanceEntity): boolean {
  return activity.endTime !== null && !activity.canceled && activity.activityType.endsWith('EndEvent');
}

async function historicActivityInstanceDto(activity: HistoricActivityInstanceEntity, lookups: HistoryLookups, rest: RestContext) {
  const definition = await lookups.definition(activity.processDefinitionId);
  return {
    id: activity.id,
    parentActivityInstanceId: activity.parentActivityInstanceId,
    activityId: activity.activityId,
    activityName: activity.activityName,
    activityType: activity.activityType,
    processDefinitionKey: definition?.key ?? null,
    processDefinitionId: activity.processDefinitionId,
    processInstanceId: activity.processInstanceId,
    executionId: activity.executionId,
    taskId: activity.taskId,
    assignee: activity.assignee,
    calledProcessInstanceId: activity.calledProcessInstanceId,
    calledCaseInstanceId: null,
    startTime: formatDate(activity.startTime, rest.timeZone),
    endTime: formatDate(activity.endTime, rest.timeZone),
    durationInMillis: activity.durationMs,
    canceled: activity.canceled,
    completeScope: completesScope(activity),
    tenantId: activity.tenantId,
    removalTime: null,
    rootProcessInstanceId: await lookups.rootOfId(activity.processInstanceId),
  };
}

async function historicTaskDto(task: HistoricTaskEntity, lookups: HistoryLookups, rest: RestContext) {
  const definition = await lookups.definition(task.processDefinitionId);
  return {
    id: task.id,
    processDefinitionKey: definition?.key ?? null,
    processDefinitionId: task.processDefinitionId,
    processInstanceId: task.processInstanceId,
    executionId: task.executionId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: task.activityInstanceId,
    name: task.name,
    description: task.description,
    deleteReason: task.deleteReason,
    owner: task.owner,
    assignee: task.assignee,
    startTime: formatDate(task.startTime, rest.timeZone),
    endTime: formatDate(task.endTime, rest.timeZone),
    duration: task.durationMs,
    taskDefinitionKey: task.taskDefinitionKey,
    priority: task.priority,
    due: formatDate(task.dueDate, rest.timeZone),
    parentTaskId: null,
    followUp: formatDate(task.followUpDate, rest.timeZone),
    tenantId: task.tenantId,
    removalTime: null,
    rootProcessInstanceId: await lookups.rootOfId(task.processInstanceId),
  };
}

async function historicVariableDto(variable: HistoricVariableEntity, lookups: HistoryLookups, rest: RestContext) {
  const instance = await lookups.instance(variable.processInstanceId);
  return {
    ...variableToRest(fromStoredValue(variable), rest.timeZone),
    id: variable.id,
    name: variable.name,
    processDefinitionKey: instance?.processDefinitionKey ?? null,
    processDefinitionId: instance?.processDefinitionId ?? null,
    processInstanceId: variable.processInstanceId,
    executionId: variable.executionId,
    // the engine keeps no activity instance per variable; a process-level variable's scope is the instance
    activityInstanceId: variable.executionId === variable.processInstanceId ? variable.processInstanceId : null,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: variable.taskId,
    tenantId: variable.tenantId,
    errorMessage: null,
    state: variable.state,
    createTime: formatDate(variable.createTime, rest.timeZone),
    removalTime: null,
    rootProcessInstanceId: instance ? await lookups.rootOf(instance) : null,
  };
}

function userOperationDto(entry: OperationLogEntity, rest: RestContext) {
  return {
    id: entry.id,
    userId: entry.userId,
    timestamp: formatDate(entry.timestamp, rest.timeZone),
    operationId: entry.operationId,
    operationType: entry.operationType,
    entityType: entry.entityType,
    category: null,
    annotation: null,
    property: entry.property,
    orgValue: entry.orgValue,
    newValue: entry.newValue,
    deploymentId: entry.deploymentId,
    processDefinitionId: entry.processDefinitionId,
    processDefinitionKey: entry.processDefinitionKey,
    processInstanceId: entry.processInstanceId,
    executionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: entry.taskId,
    externalTaskId: entry.externalTaskId,
    batchId: null,
    jobId: null,
    jobDefinitionId: null,
    removalTime: null,
    rootProcessInstanceId: null,
  };
}
