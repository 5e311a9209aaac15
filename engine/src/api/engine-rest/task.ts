import type Router from '@koa/router';
import type { Context } from 'koa';
import type { TaskEntity } from '../../persistence/index.js';
import type { VariableMap } from '../../variables/index.js';
import { formatDate, parseDate } from './dates.js';
import { jsonBody, read, sendJson, sendNoContent } from './http.js';
import { pageParams, queryParams, sortParams, type Params } from './listing.js';
import { formLanguage } from '../language.js';
import { formInfoDto } from './process-definition.js';
import { deletionsOf, variablesInReturn } from './process-instance.js';
import type { RestContext } from './rest-context.js';
import { variablesFromRest, variablesToRest } from './variables.js';
import { permit } from './permit.js';

const TASK_SORT = { created: 'created', dueDate: 'dueDate', priority: 'priority', name: 'name', id: 'id' } as const;

export function taskDto(task: TaskEntity, timeZone: string | undefined) {
  return {
    id: task.id,
    name: task.name,
    assignee: task.assignee,
    owner: task.owner,
    created: formatDate(task.createTime, timeZone),
    lastUpdated: formatDate(task.lastUpdated, timeZone),
    due: formatDate(task.dueDate, timeZone),
    followUp: formatDate(task.followUpDate, timeZone),
    delegationState: task.delegationState,
    description: task.description,
    executionId: task.executionId,
    parentTaskId: null,
    priority: task.priority,
    processDefinitionId: task.processDefinitionId,
    processInstanceId: task.processInstanceId,
    taskDefinitionKey: task.taskDefinitionKey,
    caseExecutionId: null,
    caseInstanceId: null,
    caseDefinitionId: null,
    suspended: task.suspended,
    formKey: task.formKey,
    camundaFormRef: task.formRef,
    tenantId: task.tenantId,
  };
}

/** `/task`: the inbox queries (GET and the POST twins), assignment, delegation, completion, forms and variables. */
export function taskRoutes(router: Router, rest: RestContext): void {
  const list = async (ctx: Context, params: Params) => {
    const query = { ...taskQuery(params, rest), ...pageParams(queryParams(ctx)), ...sortParams(params, TASK_SORT) };
    sendJson(ctx, (await rest.services(ctx).taskService.listTasks(query)).map((t) => taskDto(t, rest.timeZone)));
  };
  const count = async (ctx: Context, params: Params) => {
    sendJson(ctx, { count: await rest.services(ctx).taskService.countTasks(taskQuery(params, rest)) });
  };
  router.get('/task', permit('task:read'), (ctx) => list(ctx, queryParams(ctx)));
  router.post('/task', permit('task:read'), (ctx) => list(ctx, jsonBody(ctx)));
  router.get('/task/count', permit('task:read'), (ctx) => count(ctx, queryParams(ctx)));
  router.post('/task/count', permit('task:read'), (ctx) => count(ctx, jsonBody(ctx)));

  router.get('/task/:id', permit('task:read'), async (ctx) => {
    sendJson(ctx, taskDto(await rest.services(ctx).taskService.getTask(ctx.params.id as string), rest.timeZone));
  });

  const taskAction = (path: string, permission: string, action: (ctx: Context, taskId: string, body: Params) => Promise<void>) =>
    router.post(`/task/:id/${path}`, permit(permission), async (ctx) => {
      await action(ctx, ctx.params.id as string, jsonBody(ctx));
      sendNoContent(ctx);
    });
  taskAction('claim', 'task:handle', (ctx, id, body) => rest.services(ctx).taskService.claim(id, read.requiredString(body, 'userId')));
  taskAction('unclaim', 'task:handle', (ctx, id) => rest.services(ctx).taskService.unclaim(id));
  taskAction('assignee', 'task:assign', (ctx, id, body) => rest.services(ctx).taskService.setAssignee(id, read.string(body, 'userId') ?? null));
  taskAction('delegate', 'task:handle', (ctx, id, body) => rest.services(ctx).taskService.delegateTask(id, read.requiredString(body, 'userId')));
  taskAction('resolve', 'task:handle', (ctx, id, body) => rest.services(ctx).taskService.resolveTask(id, variablesFromRest(body.variables, 'variables', rest.timeZone)));

  const finishTask = (path: string, finish: (ctx: Context, taskId: string, variables: VariableMap) => Promise<unknown>) =>
    router.post(`/task/:id/${path}`, permit('task:handle'), async (ctx) => {
      const body = jsonBody(ctx);
      const id = ctx.params.id as string;
      const variables = variablesFromRest(body.variables, 'variables', rest.timeZone);
      if (!read.boolean(body, 'withVariablesInReturn')) {
        await finish(ctx, id, variables);
        sendNoContent(ctx);
        return;
      }
      const services = rest.services(ctx);
      const task = await services.taskService.getTask(id);
      await finish(ctx, id, variables);
      sendJson(ctx, await variablesInReturn(services, task.processInstanceId, rest.timeZone));
    });
  // a machine call: Camunda's behaviour, variable types checked but no form validation
  finishTask('complete', (ctx, id, variables) => rest.services(ctx).taskService.complete(id, variables));
  // a form submission: validated against the task's pinned form (400 FormValidationError listing the failing fields)
  finishTask('submit-form', (ctx, id, variables) => rest.services(ctx).formService.submitTaskForm(id, { variables, language: formLanguage(ctx) }));

  router.get('/task/:id/form', permit('task:read'), async (ctx) => {
    sendJson(ctx, formInfoDto(await rest.services(ctx).formService.getTaskFormReference(ctx.params.id as string)));
  });

  router.get('/task/:id/deployed-form', permit('task:read'), async (ctx) => {
    sendJson(ctx, await rest.services(ctx).formService.getDeployedTaskForm(ctx.params.id as string));
  });

  router.get('/task/:id/form-variables', permit('task:read'), async (ctx) => {
    const names = read.list(queryParams(ctx), 'variableNames');
    const variables = await rest.services(ctx).formService.getTaskFormVariables(ctx.params.id as string);
    const wanted = names === undefined ? variables : new Map([...variables].filter(([name]) => names.includes(name)));
    sendJson(ctx, variablesToRest(wanted, rest.timeZone));
  });

  router.get('/task/:id/variables', permit('task:read'), async (ctx) => {
    sendJson(ctx, variablesToRest(await rest.services(ctx).taskService.getVariables(ctx.params.id as string), rest.timeZone));
  });

  router.post('/task/:id/variables', permit('task:handle'), async (ctx) => {
    const body = jsonBody(ctx);
    const modifications = variablesFromRest(body.modifications, 'modifications', rest.timeZone);
    await rest.services(ctx).taskService.modifyVariables(ctx.params.id as string, modifications, deletionsOf(body));
    sendNoContent(ctx);
  });
}

function taskQuery(params: Params, rest: RestContext) {
  const date = (name: string) => {
    const text = read.string(params, name);
    return text === undefined ? undefined : parseDate(text, name, rest.timeZone);
  };
  return {
    assignee: read.string(params, 'assignee'),
    assigneeIn: read.list(params, 'assigneeIn'),
    unassigned: read.boolean(params, 'unassigned'),
    candidateUser: read.string(params, 'candidateUser'),
    candidateGroup: read.string(params, 'candidateGroup'),
    candidateGroups: read.list(params, 'candidateGroups'),
    includeAssignedTasks: read.boolean(params, 'includeAssignedTasks'),
    processInstanceId: read.string(params, 'processInstanceId'),
    processDefinitionId: read.string(params, 'processDefinitionId'),
    processDefinitionKey: read.string(params, 'processDefinitionKey'),
    taskDefinitionKey: read.string(params, 'taskDefinitionKey'),
    nameLike: read.string(params, 'nameLike'),
    dueBefore: date('dueBefore'),
    dueAfter: date('dueAfter'),
    createdAfter: date('createdAfter'),
    tenantIdIn: read.list(params, 'tenantIdIn'),
  };
}
