import type { StatusLight } from '../../persistence/index.js';
import {
  ClaimOperationCmd,
  countInbox,
  DelegateOperationCmd,
  INBOX_VIEWS,
  listInbox,
  MarkTaskOpenedCmd,
  ParkCaseCmd,
  RequestCaseChangeCmd,
  ResolveOperationCmd,
  taskView,
  TransferTaskCmd,
  type InboxQuery,
  type InboxView,
  type OperationInput,
} from '../../tasks/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { formLanguage } from '../language.js';
import { DATE_TIME, LOGIN_ID, PAGE } from './admin-schemas.js';
import { caseCalls, OPERATION_INPUT, OPERATION_INPUT_PROPERTIES, type CaseCalls } from './case-calls.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

const tag = 'tasks';
const LIGHT: JsonSchema = { type: 'string', enum: ['green', 'yellow', 'red'] };
/** A status light, or null without a time limit (OpenAPI 3.0: a nullable enum lists null too). */
export const NULLABLE_LIGHT: JsonSchema = { type: 'string', enum: ['green', 'yellow', 'red', null], nullable: true };
const INBOX_FILTERS: Record<string, JsonSchema> = {
  processDefinitionKey: { type: 'string' },
  category: { type: 'string', description: "the process definition's category" },
  search: { type: 'string', maxLength: 100, description: "in the task's name or the case's business key" },
  light: LIGHT,
  dueBefore: DATE_TIME,
  dueAfter: DATE_TIME,
};
const INBOX_QUERY: JsonSchema = {
  type: 'object', required: ['view'],
  properties: { view: { type: 'string', enum: [...INBOX_VIEWS], description: '待办 todo, 待认领 claimable, 已办 done, 我发起的 started' }, ...INBOX_FILTERS, ...PAGE },
};
const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const NULLABLE_TIME: JsonSchema = { ...DATE_TIME, nullable: true };
const INBOX_ROW: JsonSchema = {
  type: 'object',
  properties: {
    taskId: NULLABLE_STRING, taskName: NULLABLE_STRING, activityId: NULLABLE_STRING, processInstanceId: { type: 'string' }, businessKey: NULLABLE_STRING,
    processDefinitionKey: NULLABLE_STRING, processName: NULLABLE_STRING, category: NULLABLE_STRING, assignee: NULLABLE_STRING, startUserId: NULLABLE_STRING,
    created: DATE_TIME, ended: NULLABLE_TIME, dueDate: NULLABLE_TIME, light: NULLABLE_LIGHT, priority: { type: 'integer', nullable: true },
    parked: { type: 'boolean' }, delegated: { type: 'boolean' }, urgeCount: { type: 'integer' }, state: NULLABLE_STRING,
  },
};
const BUTTON: JsonSchema = { type: 'object', properties: { operation: { type: 'string' }, label: { type: 'string' } } };
const TASK_VIEW: JsonSchema = {
  type: 'object',
  properties: {
    task: { type: 'object', description: 'the task row: id, name, assignee, owner, delegationState, dueDate, timeLimitMs, parentTaskId, signState, ...' },
    processName: NULLABLE_STRING, processDefinitionKey: { type: 'string' }, businessKey: NULLABLE_STRING, light: NULLABLE_LIGHT,
    parked: { type: 'boolean' },
    hasForm: { type: 'boolean', description: 'the task has a form: read it at /tasks/{id}/form (which answers 404 when this is false)' },
    operations: { type: 'array', items: BUTTON, description: 'the buttons the caller may press now, with their labels' },
  },
};
const TO_USER: JsonSchema = { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId: LOGIN_ID, ...OPERATION_INPUT_PROPERTIES } };
const WITH_REASON: JsonSchema = {
  type: 'object', required: ['comment'], additionalProperties: false,
  properties: { ...OPERATION_INPUT_PROPERTIES, comment: { type: 'string', minLength: 1, maxLength: 2000, description: 'the reason' } },
};
export const CASE_REQUEST_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, processInstanceId: { type: 'string' }, taskId: NULLABLE_STRING, kind: { type: 'string', enum: ['extension', 'void'] },
    requestedBy: { type: 'string' }, requestedAt: DATE_TIME, reason: NULLABLE_STRING, extensionMs: { type: 'integer', nullable: true },
    state: { type: 'string', enum: ['pending', 'approved', 'rejected', 'cancelled'] }, decidedBy: NULLABLE_STRING, decidedAt: NULLABLE_TIME, decisionComment: NULLABLE_STRING,
  },
};

interface InboxParams {
  readonly view: InboxView;
  readonly processDefinitionKey?: string;
  readonly category?: string;
  readonly search?: string;
  readonly light?: StatusLight;
  readonly dueBefore?: string;
  readonly dueAfter?: string;
  readonly firstResult?: number;
  readonly maxResults?: number;
}

const HOUR_MS = 3_600_000;

/**
 * `/api/tasks`: the inbox tabs, the task page, and the operations staff apply to a task — each
 * checked against what the task's BPMN offers, written to the case timeline and the audit log,
 * and safe to retry with an Idempotency-Key. 退回/撤回/不通过 and 加签 live in their own modules.
 */
export function registerTaskRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  registerInbox(routes, calls, engine);
  registerReassignments(routes, calls);
  registerCaseChanges(routes, calls);
}

function registerInbox(routes: ApiRoutes, calls: CaseCalls, engine: ProcessEngine): void {
  const now = () => engine.environment.clock.now();
  routes.add<InboxParams, unknown>({
    method: 'get', path: '/tasks/count', tag, summary: 'count the rows of an inbox tab', permission: 'task:read', query: INBOX_QUERY,
    response: { type: 'object', properties: { count: { type: 'integer' } } },
    handle: async (call) => ({ count: await calls.read(call, (session) => countInbox(session, call.principal, inboxQuery(call.query), now())) }),
  });
  routes.add({
    method: 'get', path: '/tasks/inbox-counts', tag, summary: 'count every inbox tab at once (the badges)', permission: 'task:read',
    response: { type: 'object', properties: Object.fromEntries(INBOX_VIEWS.map((view) => [view, { type: 'integer' }])) },
    handle: (call) => calls.read(call, async (session) => {
      const counts = await Promise.all(INBOX_VIEWS.map((view) => countInbox(session, call.principal, { view }, now())));
      return Object.fromEntries(INBOX_VIEWS.map((view, index) => [view, counts[index]]));
    }),
  });
  routes.add<InboxParams, unknown>({
    method: 'get', path: '/tasks', tag, summary: 'list an inbox tab, newest first, with each row\'s status light', permission: 'task:read', query: INBOX_QUERY,
    response: { type: 'array', items: INBOX_ROW },
    handle: (call) => calls.read(call, (session) => listInbox(session, call.principal, inboxQuery(call.query), now())),
  });
  routes.add({
    method: 'get', path: '/tasks/{id}', tag, permission: 'task:read', response: TASK_VIEW,
    summary: 'read an open task with its case, light and the buttons the caller may press; its assignee opening it the first time marks it opened (it can no longer be withdrawn)',
    handle: async (call) => {
      const id = call.params.id as string;
      const read = () => calls.read(call, (session) => taskView(session, engine.environment.deployments, call.principal, id, now(), formLanguage(call.ctx)));
      const view = await read();
      if (view.task.assignee !== call.principal.userId || view.task.openedAt) return view;
      await calls.onTask(call, id, new MarkTaskOpenedCmd(id));
      return read();
    },
  });
  routes.add<unknown, { data?: Record<string, unknown> } & OperationInput>({
    method: 'post', path: '/tasks/{id}/approve', tag, summary: '通过: complete the task with its form data, a comment and files', permission: 'task:handle', idempotent: true,
    body: { type: 'object', additionalProperties: false, properties: { data: { type: 'object', description: "the task form's data" }, ...OPERATION_INPUT_PROPERTIES } },
    response: { type: 'object', properties: { serialNumbers: { type: 'object', additionalProperties: { type: 'string' } } } },
    handle: (call) => {
      const { data, ...input } = call.body;
      const language = formLanguage(call.ctx);
      // through the form service: a form's serial numbers (流水号) may need their day's counter created first
      return call.services.formService.submitTaskForm(call.params.id as string, data === undefined ? { variables: {}, language } : { data, language }, { operation: 'approve', input });
    },
  });
}

function registerReassignments(routes: ApiRoutes, calls: CaseCalls): void {
  const taskId = (call: ApiCall<unknown, unknown>) => call.params.id as string;
  routes.add<unknown, { userId: string } & OperationInput>({
    method: 'post', path: '/tasks/{id}/transfer', tag, summary: '转办: hand the task to another user for good', permission: 'task:handle', status: 204, idempotent: true, body: TO_USER,
    handle: (call) => {
      const { userId, ...input } = call.body;
      return calls.onTask(call, taskId(call), new TransferTaskCmd(taskId(call), userId, input));
    },
  });
  routes.add<unknown, { userId: string } & OperationInput>({
    method: 'post', path: '/tasks/{id}/delegate', tag, summary: '委派: another user works on the task and gives it back (归还)', permission: 'task:handle', status: 204, idempotent: true, body: TO_USER,
    handle: (call) => {
      const { userId, ...input } = call.body;
      return calls.onTask(call, taskId(call), new DelegateOperationCmd(taskId(call), userId, input));
    },
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/resolve', tag, summary: '归还: the delegate gives the task back to its owner', permission: 'task:handle', status: 204, idempotent: true, body: OPERATION_INPUT,
    handle: (call) => calls.onTask(call, taskId(call), new ResolveOperationCmd(taskId(call), call.body)),
  });
  routes.add({
    method: 'post', path: '/tasks/{id}/claim', tag, summary: '认领: take a task offered to the caller', permission: 'task:handle', status: 204, idempotent: true,
    handle: (call) => calls.onTask(call, taskId(call), new ClaimOperationCmd(taskId(call), 'claim')),
  });
  routes.add({
    method: 'post', path: '/tasks/{id}/unclaim', tag, summary: '释放: give a claimed task back to its candidates', permission: 'task:handle', status: 204, idempotent: true,
    handle: (call) => calls.onTask(call, taskId(call), new ClaimOperationCmd(taskId(call), 'unclaim')),
  });
}

function registerCaseChanges(routes: ApiRoutes, calls: CaseCalls): void {
  const taskId = (call: ApiCall<unknown, unknown>) => call.params.id as string;
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/park', tag, summary: '挂账: park the case; its clocks stand still until it is resumed', permission: 'task:handle', status: 204, idempotent: true, body: WITH_REASON,
    handle: (call) => calls.onTask(call, taskId(call), new ParkCaseCmd(taskId(call), call.body)),
  });
  routes.add<unknown, { hours: number } & OperationInput>({
    method: 'post', path: '/tasks/{id}/extension-requests', tag, summary: "延期: ask an approver for more working time on the task's limit", permission: 'task:handle', status: 201, idempotent: true,
    body: {
      type: 'object', required: ['hours', 'comment'], additionalProperties: false,
      properties: { hours: { type: 'number', minimum: 0.1, maximum: 10_000, description: 'working hours asked for' }, ...WITH_REASON.properties },
    },
    response: CASE_REQUEST_SCHEMA,
    handle: (call) => {
      const { hours, ...input } = call.body;
      return calls.onTask(call, taskId(call), new RequestCaseChangeCmd(taskId(call), 'extension', { ...input, extensionMs: Math.round(hours * HOUR_MS) }));
    },
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/void-requests', tag, summary: '作废: ask an approver to void the case', permission: 'task:handle', status: 201, idempotent: true, body: WITH_REASON,
    response: CASE_REQUEST_SCHEMA,
    handle: (call) => calls.onTask(call, taskId(call), new RequestCaseChangeCmd(taskId(call), 'void', call.body)),
  });
}

function inboxQuery(params: InboxParams): InboxQuery {
  const { dueBefore, dueAfter, ...rest } = params;
  return { ...rest, dueBefore: dueBefore ? new Date(dueBefore) : undefined, dueAfter: dueAfter ? new Date(dueAfter) : undefined };
}
