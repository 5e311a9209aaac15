import type { ProcessEngine } from '../../services/index.js';
import { RejectTaskCmd, ReturnTargetsQuery, ReturnTaskCmd, WithdrawTaskCmd, type OperationInput } from '../../tasks/index.js';
import { DATE_TIME } from './admin-schemas.js';
import { caseCalls, OPERATION_INPUT, OPERATION_INPUT_PROPERTIES } from './case-calls.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

const tag = 'tasks';
const RETURN_TARGET: JsonSchema = {
  type: 'object',
  properties: {
    activityId: { type: 'string' }, activityName: { type: 'string', nullable: true },
    userId: { type: 'string', nullable: true, description: 'who completed that step last: the re-created task goes to them' },
    completedAt: DATE_TIME, taskId: { type: 'string', description: 'the task of that last completion' },
  },
};
const RETURN_BODY: JsonSchema = {
  type: 'object', required: ['activityId'], additionalProperties: false,
  properties: { activityId: { type: 'string', minLength: 1, maxLength: 255, description: 'one of the return targets' }, ...OPERATION_INPUT_PROPERTIES },
};

/**
 * 退回, 撤回 and 不通过: the operations that move a case back inside its process (or end it),
 * on tasks the caller can see; each checked against what the task's BPMN offers, written to the
 * case timeline and the audit log, and safe to retry with an Idempotency-Key.
 */
export function registerTaskMoveRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  const taskId = (call: ApiCall<unknown, unknown>) => call.params.id as string;
  routes.add({
    method: 'get', path: '/tasks/{id}/return-targets', tag, permission: 'task:handle',
    summary: '退回: the earlier steps the task can be sent back to, oldest first, with who did each last',
    response: { type: 'array', items: RETURN_TARGET },
    handle: (call) => calls.onTask(call, taskId(call), new ReturnTargetsQuery(taskId(call))),
  });
  routes.add<unknown, { activityId: string } & OperationInput>({
    method: 'post', path: '/tasks/{id}/return', tag, permission: 'task:handle', status: 204, idempotent: true, body: RETURN_BODY,
    summary: '退回: send the task back to an earlier step; its task goes to whoever did it last',
    handle: (call) => {
      const { activityId, ...input } = call.body;
      return calls.onTask(call, taskId(call), new ReturnTaskCmd(taskId(call), activityId, input));
    },
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/withdraw', tag, permission: 'task:handle', status: 204, idempotent: true, body: OPERATION_INPUT,
    summary: '撤回: the handler of the completed task {id} takes the case back while the next tasks are untouched (not opened, not acted on)',
    handle: (call) => calls.onTask(call, taskId(call), new WithdrawTaskCmd(taskId(call), call.body)),
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/reject', tag, permission: 'task:handle', status: 204, idempotent: true, body: OPERATION_INPUT,
    summary: "不通过: reject the case — it ends, or moves to the task's configured reject target",
    handle: (call) => calls.onTask(call, taskId(call), new RejectTaskCmd(taskId(call), call.body)),
  });
}
