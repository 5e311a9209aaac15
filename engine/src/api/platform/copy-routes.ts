import { countCopies, CopyTaskCmd, listCopies, MarkCopyReadCmd, type CopyInput, type CopyQuery } from '../../tasks/copies.js';
import type { ProcessEngine } from '../../services/index.js';
import { DATE_TIME, PAGE } from './admin-schemas.js';
import { caseCalls, OPERATION_INPUT_PROPERTIES } from './case-calls.js';
import { SIGNED_IN, type ApiRoutes, type JsonSchema } from './routes.js';

const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const NAMES: JsonSchema = { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 64 } };
const COPY_INPUT: JsonSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    users: { ...NAMES, description: 'user ids' },
    departments: { ...NAMES, description: 'department ids or codes: their members (not those of sub-departments)' },
    roles: { ...NAMES, description: 'role ids or codes: their holders' },
    ...OPERATION_INPUT_PROPERTIES,
  },
};
const COPY_RESULT: JsonSchema = {
  type: 'object',
  properties: {
    copied: { type: 'array', items: { type: 'string' }, description: 'users the case was copied to now' },
    alreadyCopied: { type: 'array', items: { type: 'string' }, description: 'users who had a copy from this task already' },
  },
};
const COPY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, processInstanceId: { type: 'string' }, processDefinitionKey: NULLABLE_STRING, processDefinitionName: NULLABLE_STRING,
    businessKey: NULLABLE_STRING, taskId: NULLABLE_STRING, activityId: NULLABLE_STRING, activityName: NULLABLE_STRING,
    senderId: { ...NULLABLE_STRING, description: 'null: a copy node of the process sent it' }, senderName: NULLABLE_STRING, comment: NULLABLE_STRING,
    created: DATE_TIME, readTime: { ...DATE_TIME, nullable: true },
  },
};
const UNREAD: Record<string, JsonSchema> = { unread: { type: 'boolean', description: 'true: unread only; false: read only' } };

/** 抄送: `POST /api/tasks/{id}/copy`, and 抄送我 — the copies the caller received — under `/api/copies`. */
export function registerCopyRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  routes.add<unknown, CopyInput>({
    method: 'post', path: '/tasks/{id}/copy', tag: 'tasks', permission: 'task:handle', idempotent: true,
    summary: '抄送: copy the case to users, departments and roles of its tenant (each once per task), with a comment and files',
    body: COPY_INPUT, response: COPY_RESULT,
    handle: (call) => calls.onTask(call, call.params.id as string, new CopyTaskCmd(call.params.id as string, call.body)),
  });
  routes.add<CopyQuery, unknown>({
    method: 'get', path: '/copies', tag: 'copies', permission: SIGNED_IN, summary: '抄送我: the copies the caller received, newest first',
    query: { type: 'object', properties: { ...UNREAD, ...PAGE } },
    response: { type: 'array', items: COPY },
    handle: (call) => calls.read(call, (session) => listCopies(session, call.principal.userId, call.query)),
  });
  routes.add<CopyQuery, unknown>({
    method: 'get', path: '/copies/count', tag: 'copies', permission: SIGNED_IN, summary: 'count the copies the caller received (unread=true: the badge)',
    query: { type: 'object', properties: UNREAD },
    response: { type: 'object', properties: { count: { type: 'integer' } } },
    handle: async (call) => ({ count: await calls.read(call, (session) => countCopies(session, call.principal.userId, call.query)) }),
  });
  routes.add({
    method: 'post', path: '/copies/{id}/read', tag: 'copies', permission: SIGNED_IN, status: 204,
    summary: "mark one of the caller's copies read (again: no change; someone else's: 404)",
    // reading changes nothing worth auditing: run as the user, without the audit log
    handle: (call) => engine.commandExecutor.execute(new MarkCopyReadCmd(call.params.id as string), { userId: call.principal.userId }),
  });
}
