import { NotFoundError } from '../../errors/index.js';
import { hasPermission } from '../../identity/index.js';
import { CASE_REQUEST, type CaseRequestKind, type CaseRequestState } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { Filter, orderAndPage } from '../../services/query.js';
import {
  caseTimeline,
  DecideCaseRequestCmd,
  instanceView,
  ResumeCaseCmd,
  TerminateCaseCmd,
  UrgeCaseCmd,
  type OperationInput,
} from '../../tasks/index.js';
import { DATE_TIME, PAGE } from './admin-schemas.js';
import { caseCalls, OPERATION_INPUT, OPERATION_INPUT_PROPERTIES, type CaseCalls } from './case-calls.js';
import type { ApiRoutes, JsonSchema } from './routes.js';
import { CASE_REQUEST_SCHEMA, NULLABLE_LIGHT } from './task-routes.js';

const tag = 'instances';
const NULLABLE_STRING: JsonSchema = { type: 'string', nullable: true };
const INSTANCE_VIEW: JsonSchema = {
  type: 'object',
  properties: {
    instance: { type: 'object', description: 'the case: id, businessKey, state, startUserId, startTime, endTime, ...' },
    processName: NULLABLE_STRING,
    openTasks: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: NULLABLE_STRING, assignee: NULLABLE_STRING, light: NULLABLE_LIGHT } } },
    light: { ...NULLABLE_LIGHT, description: 'the worst light of its open tasks' },
    hold: { type: 'object', nullable: true, description: '挂账: who parked the case, when and why' },
    requests: { type: 'array', items: CASE_REQUEST_SCHEMA },
    operations: { type: 'array', items: { type: 'string', enum: ['urge', 'resume', 'terminate'] } },
  },
};
const TIMELINE_ENTRY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, operation: { type: 'string' }, taskId: NULLABLE_STRING, activityId: NULLABLE_STRING, activityName: NULLABLE_STRING,
    userId: NULLABLE_STRING, userName: NULLABLE_STRING, time: DATE_TIME, comment: NULLABLE_STRING, target: { type: 'object', nullable: true },
    workingMs: { type: 'integer', nullable: true, description: 'working time the task had run, parked time excluded' }, light: NULLABLE_LIGHT,
    files: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' } } } },
  },
};
const REASON_REQUIRED: JsonSchema = {
  type: 'object', required: ['comment'], additionalProperties: false,
  properties: { ...OPERATION_INPUT_PROPERTIES, comment: { type: 'string', minLength: 1, maxLength: 2000, description: 'the reason' } },
};

interface RequestQuery {
  readonly state?: CaseRequestState;
  readonly kind?: CaseRequestKind;
  readonly processInstanceId?: string;
  readonly firstResult?: number;
  readonly maxResults?: number;
}

/** `/api/instances`: the case page, its timeline, and what is done to a case as a whole (催办, 恢复, 终止); `/api/case-requests`: deciding 延期 and 作废. */
export function registerInstanceRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  const now = () => engine.environment.clock.now();
  const instanceId = (call: { params: Readonly<Record<string, string>> }) => call.params.id as string;
  routes.add({
    method: 'get', path: '/instances/{id}', tag, summary: 'read a case: its open tasks and lights, hold, requests and what the caller may do to it', permission: 'instance:read',
    response: INSTANCE_VIEW,
    handle: (call) => calls.read(call, (session) => instanceView(session, engine.environment.deployments, call.principal, instanceId(call), now())),
  });
  routes.add({
    method: 'get', path: '/instances/{id}/timeline', tag, summary: "read a case's timeline: every action in order, with who, when, comment, files, working time and light", permission: 'instance:read',
    response: { type: 'array', items: TIMELINE_ENTRY },
    handle: (call) => calls.read(call, (session) => caseTimeline(session, instanceId(call))),
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/instances/{id}/urge', tag, summary: "催办: remind the handlers of the case's open tasks (once per 10 minutes per user)", permission: 'instance:read', idempotent: true,
    body: OPERATION_INPUT,
    response: { type: 'object', properties: { urgedTasks: { type: 'integer' }, notifiedUsers: { type: 'integer' } } },
    handle: (call) => calls.onInstance(call, instanceId(call), new UrgeCaseCmd(instanceId(call), call.body)),
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/instances/{id}/resume', tag, summary: '恢复: resume a parked case (who parked it, or a supervisor with case:supervise)', permission: 'task:handle', status: 204, idempotent: true,
    body: OPERATION_INPUT,
    handle: (call) => calls.onInstance(call, instanceId(call), new ResumeCaseCmd(instanceId(call), hasPermission(call.principal, 'case:supervise'), call.body)),
  });
  routes.add<unknown, OperationInput & { comment: string }>({
    method: 'post', path: '/instances/{id}/terminate', tag, summary: '终止: end a case at once, saying why', permission: 'instance:terminate', status: 204, idempotent: true,
    body: REASON_REQUIRED,
    handle: (call) => calls.onInstance(call, instanceId(call), new TerminateCaseCmd(instanceId(call), call.body)),
  });
  registerRequestRoutes(routes, calls);
}

function registerRequestRoutes(routes: ApiRoutes, calls: CaseCalls): void {
  const query: JsonSchema = {
    type: 'object',
    properties: { state: { type: 'string', enum: ['pending', 'approved', 'rejected', 'cancelled'] }, kind: { type: 'string', enum: ['extension', 'void'] }, processInstanceId: { type: 'string' }, ...PAGE },
  };
  routes.add<RequestQuery, unknown>({
    method: 'get', path: '/case-requests', tag: 'case-requests', summary: '延期 and 作废 requests, oldest first (an approver\'s work list)', permission: 'case-request:approve', query,
    response: { type: 'array', items: CASE_REQUEST_SCHEMA },
    handle: (call) => calls.read(call, (session) => {
      const filter = new Filter().equals('state', call.query.state).equals('kind', call.query.kind).equals('process_instance_id', call.query.processInstanceId);
      return session.select(CASE_REQUEST, filter.where, filter.bindings, orderAndPage({ sortBy: 'requested' }, { requested: 'requested_at' }, 'requested', call.query));
    }),
  });
  for (const approved of [true, false]) {
    routes.add<unknown, OperationInput>({
      method: 'post', path: `/case-requests/{id}/${approved ? 'approve' : 'reject'}`, tag: 'case-requests', permission: 'case-request:approve', idempotent: true,
      summary: approved ? 'approve a request: an extension lengthens the task\'s limit, voiding ends the case' : 'turn a request down',
      body: OPERATION_INPUT, response: CASE_REQUEST_SCHEMA,
      handle: async (call) => {
        // the request's case must be one the caller sees, in their tenants and their data scope
        const id = call.params.id as string;
        const request = await calls.read(call, (session) => session.findById(CASE_REQUEST, id));
        if (!request) throw new NotFoundError(`Request '${id}' does not exist`);
        return calls.onInstance(call, request.processInstanceId, new DecideCaseRequestCmd(id, approved, call.body));
      },
    });
  }
}
