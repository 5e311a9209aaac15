import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';
import type { ExternalTaskEntity } from '../../persistence/index.js';
import type { EngineServices, ExternalTaskQuery, FetchAndLockInput, LockedExternalTask, TopicRequest } from '../../services/index.js';
import { formatDate, parseDate } from './dates.js';
import { jsonBody, read, sendJson, sendNoContent } from './http.js';
import { LongPolling, MAX_ASYNC_RESPONSE_TIMEOUT_MS } from './long-polling.js';
import type { RestContext } from './rest-context.js';
import { variablesFromRest, variablesToRest } from './variables.js';
import { permit } from './permit.js';

/**
 * `/external-task`: fetch-and-lock with long polling, the worker's answers (complete, failure,
 * bpmnError, lock, extendLock, unlock), the task list and retries — what
 * camunda-external-task-client-js and Camunda's tooling call.
 */
export function externalTaskRoutes(router: Router, rest: RestContext, closing?: AbortSignal): void {
  const polling = new LongPolling(rest.engine.commandExecutor, closing);
  const service = (ctx: Context) => rest.services(ctx).externalTaskService;

  router.post('/external-task/fetchAndLock', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    const input = fetchInput(body);
    const timeoutMs = asyncResponseTimeout(body);
    const externalTasks = service(ctx);
    const tasks = input.maxTasks === 0 ? [] : await polling.poll({
      topics: new Set(input.topics.map((topic) => topic.topicName)),
      timeoutMs,
      fetch: () => externalTasks.fetchAndLock(input),
      disconnected: new Promise((resolve) => ctx.res.once('close', () => resolve())),
    });
    sendJson(ctx, tasks.map((task) => lockedTaskDto(task, rest.timeZone)));
  });

  router.post('/external-task/:id/complete', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    await service(ctx).complete(
      ctx.params.id as string,
      read.requiredString(body, 'workerId'),
      variablesFromRest(body.variables, 'variables', rest.timeZone),
      variablesFromRest(body.localVariables, 'localVariables', rest.timeZone),
    );
    sendNoContent(ctx);
  });

  router.post('/external-task/:id/failure', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    await service(ctx).handleFailure(ctx.params.id as string, {
      workerId: read.requiredString(body, 'workerId'),
      errorMessage: read.string(body, 'errorMessage') ?? null,
      errorDetails: read.string(body, 'errorDetails') ?? null,
      retries: read.integer(body, 'retries') ?? 0,
      retryTimeout: read.integer(body, 'retryTimeout') ?? 0,
    });
    sendNoContent(ctx);
  });

  router.post('/external-task/:id/bpmnError', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    await service(ctx).handleBpmnError(ctx.params.id as string, {
      workerId: read.requiredString(body, 'workerId'),
      errorCode: read.requiredString(body, 'errorCode'),
      errorMessage: read.string(body, 'errorMessage') ?? null,
      variables: variablesFromRest(body.variables, 'variables', rest.timeZone),
    });
    sendNoContent(ctx);
  });

  router.post('/external-task/:id/lock', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    await service(ctx).lock(ctx.params.id as string, read.requiredString(body, 'workerId'), requiredInteger(body, 'lockDuration'));
    sendNoContent(ctx);
  });

  router.post('/external-task/:id/extendLock', permit('external-task:work'), async (ctx) => {
    const body = jsonBody(ctx);
    await service(ctx).extendLock(ctx.params.id as string, read.requiredString(body, 'workerId'), requiredInteger(body, 'newDuration'));
    sendNoContent(ctx);
  });

  router.post('/external-task/:id/unlock', permit('external-task:work'), async (ctx) => {
    await service(ctx).unlock(ctx.params.id as string);
    sendNoContent(ctx);
  });

  router.put('/external-task/:id/retries', permit('job:manage'), async (ctx) => {
    await service(ctx).setRetries(ctx.params.id as string, requiredInteger(jsonBody(ctx), 'retries'));
    sendNoContent(ctx);
  });

  router.get('/external-task/count', permit('external-task:read'), async (ctx) => {
    sendJson(ctx, { count: await service(ctx).countExternalTasks(listQuery(ctx.query, rest.timeZone)) });
  });

  router.get('/external-task', permit('external-task:read'), async (ctx) => {
    const services = rest.services(ctx);
    const tasks = await services.externalTaskService.listExternalTasks(listQuery(ctx.query, rest.timeZone));
    const versionTags = await versionTagsOf(services, tasks);
    sendJson(ctx, tasks.map((task) => externalTaskDto(task, versionTagOf(versionTags, task), rest.timeZone)));
  });

  router.get('/external-task/:id', permit('external-task:read'), async (ctx) => {
    const services = rest.services(ctx);
    const task = await services.externalTaskService.getExternalTask(ctx.params.id as string);
    const versionTags = await versionTagsOf(services, [task]);
    sendJson(ctx, externalTaskDto(task, versionTagOf(versionTags, task), rest.timeZone));
  });
}

function requiredInteger(source: Record<string, unknown>, name: string): number {
  const value = read.integer(source, name);
  if (value === undefined) throw new BadUserRequestError(`'${name}' is required`);
  return value;
}

function asyncResponseTimeout(body: Record<string, unknown>): number {
  const timeout = read.integer(body, 'asyncResponseTimeout') ?? 0;
  if (timeout < 0) throw new BadUserRequestError(`'asyncResponseTimeout' must not be negative, got ${timeout}`);
  if (timeout > MAX_ASYNC_RESPONSE_TIMEOUT_MS) {
    throw new BadUserRequestError(`The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT_MS} milliseconds`);
  }
  return timeout;
}

function fetchInput(body: Record<string, unknown>): FetchAndLockInput {
  const topics = body.topics ?? [];
  if (!Array.isArray(topics)) throw new BadUserRequestError("'topics' must be an array");
  return {
    workerId: read.requiredString(body, 'workerId'),
    maxTasks: read.integer(body, 'maxTasks') ?? 0,
    usePriority: read.boolean(body, 'usePriority') ?? false,
    createTimeOrder: createTimeOrder(body.sorting),
    topics: topics.map(topicRequest),
  };
}

/** `sorting: [{ sortBy: 'createTime', sortOrder: 'asc' | 'desc' }]`, the only key Camunda offers here. */
function createTimeOrder(sorting: unknown): 'asc' | 'desc' | undefined {
  if (sorting === undefined || sorting === null) return undefined;
  if (!Array.isArray(sorting)) throw new BadUserRequestError("'sorting' must be an array");
  const [first] = sorting as Record<string, unknown>[];
  if (!first) return undefined;
  if (first.sortBy !== 'createTime') throw new BadUserRequestError(`Cannot sort fetched tasks by '${String(first.sortBy)}': use createTime`);
  if (first.sortOrder !== 'asc' && first.sortOrder !== 'desc') throw new BadUserRequestError(`sortOrder must be asc or desc, got '${String(first.sortOrder)}'`);
  return first.sortOrder;
}

function topicRequest(entry: unknown): TopicRequest {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new BadUserRequestError('Every entry of topics must be an object');
  const topic = entry as Record<string, unknown>;
  const processVariables = topic.processVariables;
  if (processVariables !== undefined && processVariables !== null && (typeof processVariables !== 'object' || Array.isArray(processVariables))) {
    throw new BadUserRequestError("'processVariables' must be an object of variable names and values");
  }
  return {
    topicName: read.requiredString(topic, 'topicName'),
    lockDuration: read.integer(topic, 'lockDuration') ?? 0,
    variables: read.list(topic, 'variables') ?? null,
    localVariables: read.boolean(topic, 'localVariables'),
    businessKey: read.string(topic, 'businessKey'),
    processDefinitionId: read.string(topic, 'processDefinitionId'),
    processDefinitionIdIn: read.list(topic, 'processDefinitionIdIn'),
    processDefinitionKey: read.string(topic, 'processDefinitionKey'),
    processDefinitionKeyIn: read.list(topic, 'processDefinitionKeyIn'),
    processDefinitionVersionTag: read.string(topic, 'processDefinitionVersionTag'),
    processVariables: (processVariables ?? undefined) as Record<string, unknown> | undefined,
    tenantIdIn: read.list(topic, 'tenantIdIn'),
    withoutTenantId: read.boolean(topic, 'withoutTenantId'),
    includeExtensionProperties: read.boolean(topic, 'includeExtensionProperties'),
  };
}

const SORT_KEYS: Record<string, ExternalTaskQuery['sortBy']> = {
  id: 'id',
  lockExpirationTime: 'lockExpirationTime',
  processInstanceId: 'processInstanceId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  tenantId: 'tenantId',
  taskPriority: 'priority',
  createTime: 'createTime',
};

function listQuery(query: Record<string, unknown>, timeZone?: string): ExternalTaskQuery {
  const date = (name: string) => {
    const text = read.string(query, name);
    return text === undefined ? undefined : parseDate(text, name, timeZone);
  };
  const sortBy = read.string(query, 'sortBy');
  if (sortBy !== undefined && !Object.hasOwn(SORT_KEYS, sortBy)) {
    throw new BadUserRequestError(`Cannot sort by '${sortBy}': use one of ${Object.keys(SORT_KEYS).join(', ')}`);
  }
  return {
    externalTaskId: read.string(query, 'externalTaskId'),
    externalTaskIdIn: read.list(query, 'externalTaskIdIn'),
    topicName: read.string(query, 'topicName'),
    workerId: read.string(query, 'workerId'),
    locked: read.boolean(query, 'locked') || undefined,
    notLocked: read.boolean(query, 'notLocked'),
    withRetriesLeft: read.boolean(query, 'withRetriesLeft'),
    noRetriesLeft: read.boolean(query, 'noRetriesLeft'),
    lockExpirationAfter: date('lockExpirationAfter'),
    lockExpirationBefore: date('lockExpirationBefore'),
    activityId: read.string(query, 'activityId'),
    activityIdIn: read.list(query, 'activityIdIn'),
    executionId: read.string(query, 'executionId'),
    processInstanceId: read.string(query, 'processInstanceId'),
    processInstanceIdIn: read.list(query, 'processInstanceIdIn'),
    processDefinitionId: read.string(query, 'processDefinitionId'),
    active: read.boolean(query, 'active'),
    suspended: read.boolean(query, 'suspended'),
    priorityHigherThanOrEquals: read.integer(query, 'priorityHigherThanOrEquals'),
    priorityLowerThanOrEquals: read.integer(query, 'priorityLowerThanOrEquals'),
    tenantIdIn: read.list(query, 'tenantIdIn'),
    sortBy: sortBy === undefined ? undefined : SORT_KEYS[sortBy],
    sortOrder: read.string(query, 'sortOrder') as ExternalTaskQuery['sortOrder'],
    firstResult: read.integer(query, 'firstResult'),
    maxResults: read.integer(query, 'maxResults'),
  };
}

/** The version tags of the tasks' definitions, one read per distinct definition. */
async function versionTagsOf(services: EngineServices, tasks: readonly ExternalTaskEntity[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(tasks.flatMap((task) => (task.processDefinitionId ? [task.processDefinitionId] : [])))];
  const definitions = await Promise.all(ids.map((id) => services.repositoryService.getProcessDefinition(id)));
  return new Map(definitions.map((definition) => [definition.id, definition.versionTag]));
}

/** A notification channel's delivery has no definition, so no version tag. */
function versionTagOf(versionTags: Map<string, string | null>, task: ExternalTaskEntity): string | null {
  return task.processDefinitionId ? (versionTags.get(task.processDefinitionId) ?? null) : null;
}

/** Camunda's ExternalTaskDto. */
function externalTaskDto(task: ExternalTaskEntity, versionTag: string | null, timeZone?: string) {
  return {
    id: task.id,
    topicName: task.topicName,
    workerId: task.workerId,
    lockExpirationTime: formatDate(task.lockExpirationTime, timeZone),
    createTime: formatDate(task.createTime, timeZone),
    retries: task.retries,
    errorMessage: task.errorMessage,
    suspended: task.suspended,
    priority: task.priority,
    activityId: task.activityId,
    activityInstanceId: task.activityInstanceId,
    executionId: task.executionId,
    processInstanceId: task.processInstanceId,
    processDefinitionId: task.processDefinitionId,
    processDefinitionKey: task.processDefinitionKey,
    processDefinitionVersionTag: versionTag,
    tenantId: task.tenantId,
    businessKey: task.businessKey,
  };
}

/** Camunda's LockedExternalTaskDto: the task list's fields (without `suspended`) plus what the worker needs. */
function lockedTaskDto(task: LockedExternalTask, timeZone?: string) {
  const { suspended: _suspended, ...fields } = externalTaskDto(task, task.processDefinitionVersionTag, timeZone);
  return {
    ...fields,
    errorDetails: task.errorDetails,
    variables: variablesToRest(task.variables, timeZone),
    extensionProperties: task.extensionProperties,
  };
}
