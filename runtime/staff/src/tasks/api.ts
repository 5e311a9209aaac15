/** The task page's engine calls: `/api/tasks/{id}` (the view, form, operations), return targets and signers. */
import { http } from '@yiwang/web-kit/api';
import type { FormSchema } from '../common/form-js.js';
import { once } from '../common/ids.js';
import type { Light } from '../common/StatusLight.vue';

export type Operation =
  | 'approve' | 'reject' | 'return' | 'transfer' | 'delegate' | 'add-signer' | 'copy' | 'withdraw' | 'urge' | 'park' | 'extend' | 'void' | 'merge'
  | 'claim' | 'unclaim' | 'resolve' | 'sign' | 'remove-signer';

export interface TaskView {
  readonly task: {
    readonly id: string;
    readonly name: string | null;
    readonly assignee: string | null;
    readonly owner: string | null;
    readonly processInstanceId: string;
    readonly taskDefinitionKey: string;
    readonly dueDate: string | null;
    readonly createTime?: string;
    readonly parentTaskId: string | null;
    readonly signState: string | null;
    readonly description?: string | null;
  };
  readonly processName: string | null;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly light: Light | null;
  readonly parked: boolean;
  /** the task has a form (`/form` answers 404 otherwise, which the browser would log as an error) */
  readonly hasForm: boolean;
  readonly operations: readonly { readonly operation: Operation; readonly label: string }[];
}

export interface StepForm {
  readonly formKey: string;
  readonly formVersion: number;
  readonly form: FormSchema;
  readonly data: Record<string, unknown>;
  readonly permissions: unknown;
}

export interface ReturnTarget { readonly activityId: string; readonly activityName: string | null; readonly userId: string | null; readonly completedAt: string }
export interface Signer { readonly taskId: string; readonly userId: string; readonly position: 'before' | 'after'; readonly state: string }

export interface OperationInput { comment?: string; attachments?: string[] }

const path = (id: string, rest = '') => `/tasks/${encodeURIComponent(id)}${rest}`;

export const getTask = (id: string) => http.get<TaskView>(path(id));
export const getTaskForm = (id: string) => http.get<StepForm>(path(id, '/form'));
export const returnTargets = (id: string) => http.get<ReturnTarget[]>(path(id, '/return-targets'));
export const listSigners = (id: string) => http.get<Signer[]>(path(id, '/signers'));

/**
 * Runs an operation on a task with the dialog's Idempotency-Key (one per dialog opening: a
 * repeated click or a retry after a lost answer acts once). Field errors of 通过 come back as the
 * ApiError's `fieldProblems`; the caller shows them (`quiet`).
 */
export function runOperation(id: string, operation: Operation, body: Record<string, unknown>, key: string) {
  const options = { ...once(key), quiet: operation === 'approve' };
  switch (operation) {
    case 'approve': return http.post(path(id, '/approve'), body, options);
    case 'extend': return http.post(path(id, '/extension-requests'), body, options);
    case 'void': return http.post(path(id, '/void-requests'), body, options);
    case 'add-signer': return http.post(path(id, '/signers'), body, options);
    case 'remove-signer': {
      const { signerTaskId, ...rest } = body;
      return http.delete(path(id, `/signers/${encodeURIComponent(String(signerTaskId))}`), { ...options, body: rest });
    }
    case 'claim':
    case 'unclaim':
      return http.post(path(id, `/${operation}`), undefined, options);
    default:
      return http.post(path(id, `/${operation}`), body, options);
  }
}
