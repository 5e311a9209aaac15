import { NotFoundError } from '../../errors/index.js';
import { HI_TASK } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import { AddSignersCmd, CompleteSignerTaskCmd, MAX_SIGNERS, RemoveSignerCmd, SIGNER_POSITIONS, signersOf, type SignerPosition } from '../../tasks/signers.js';
import type { OperationInput } from '../../tasks/operation.js';
import { DATE_TIME, LOGIN_ID } from './admin-schemas.js';
import { caseCalls, OPERATION_INPUT, OPERATION_INPUT_PROPERTIES } from './case-calls.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

const tag = 'tasks';
const SIGNER: JsonSchema = {
  type: 'object',
  properties: {
    taskId: { type: 'string', description: "the signer's own task" },
    userId: { type: 'string' },
    position: { type: 'string', enum: [...SIGNER_POSITIONS], description: 'before: 前加签, after: 后加签' },
    state: { type: 'string', enum: ['open', 'signed', 'removed', 'cancelled'] },
    created: DATE_TIME,
    ended: { ...DATE_TIME, nullable: true },
  },
};
const ADD_SIGNERS: JsonSchema = {
  type: 'object', required: ['users', 'position'], additionalProperties: false,
  properties: {
    users: { type: 'array', minItems: 1, maxItems: MAX_SIGNERS, items: LOGIN_ID, description: 'users of the case’s tenant' },
    position: { type: 'string', enum: [...SIGNER_POSITIONS], description: 'before: they sign first and the task comes back; after: the caller is done and the task completes once they signed' },
    ...OPERATION_INPUT_PROPERTIES,
  },
};

/**
 * `/api/tasks/{id}/signers` and `/sign`: 加签 and 减签 by a task's assignee, and signing by an
 * added signer (tasks/signers.ts).
 */
export function registerTaskSignerRoutes(routes: ApiRoutes, engine: ProcessEngine): void {
  const calls = caseCalls(engine);
  routes.add({
    method: 'get', path: '/tasks/{id}/signers', tag, summary: 'list the signers added to a task (加签), open and done', permission: 'task:read',
    response: { type: 'array', items: SIGNER },
    handle: (call) => calls.read(call, async (session) => {
      const id = call.params.id as string;
      const task = await session.findById(HI_TASK, id);
      if (!task) throw new NotFoundError(`Task '${id}' does not exist`);
      return signersOf(session, task);
    }),
  });
  routes.add<unknown, { users: string[]; position: SignerPosition } & OperationInput>({
    method: 'post', path: '/tasks/{id}/signers', tag, summary: '加签: add signers before or after the caller, the task’s assignee', permission: 'task:handle', idempotent: true, status: 201,
    body: ADD_SIGNERS, response: { type: 'array', items: SIGNER },
    handle: (call) => calls.onTask(call, call.params.id as string, new AddSignersCmd(call.params.id as string, call.body)),
  });
  routes.add<unknown, OperationInput>({
    method: 'delete', path: '/tasks/{id}/signers/{signerTaskId}', tag, summary: '减签: take back an added signer who has not signed yet', permission: 'task:handle', idempotent: true, status: 204,
    body: OPERATION_INPUT,
    handle: (call) => calls.onTask(call, call.params.id as string, new RemoveSignerCmd(call.params.id as string, call.params.signerTaskId as string, call.body)),
  });
  routes.add<unknown, OperationInput>({
    method: 'post', path: '/tasks/{id}/sign', tag, summary: 'sign: an added signer completes their signer task (加签)', permission: 'task:handle', idempotent: true, status: 204,
    body: OPERATION_INPUT,
    handle: (call) => calls.onTask(call, call.params.id as string, new CompleteSignerTaskCmd(call.params.id as string, call.body)),
  });
}
