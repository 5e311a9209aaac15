import type { CommandContext } from '../command/index.js';
import { BadUserRequestError } from '../errors/index.js';
import { CASE_ACTION, placeholders, STORED_FILE, type CaseActionEntity, type TaskEntity } from '../persistence/index.js';
import { taskClock } from './deadlines.js';
import type { OperationInput } from './operation.js';

/** Longest comment an operation may carry; the API's schema says the same. */
export const MAX_COMMENT_LENGTH = 2000;
/** Most files one operation may attach. */
export const MAX_ATTACHMENTS = 20;

export interface ActionRecord {
  readonly processInstanceId: string;
  readonly tenantId: string | null;
  /** the task acted on; its clock gives the entry's working time and light */
  readonly task?: TaskEntity | null;
  /** the activity when there is no task (a copy node, the start) */
  readonly activityId?: string | null;
  readonly activityName?: string | null;
  readonly operation: string;
  readonly target?: Record<string, unknown> | null;
  readonly input?: OperationInput;
  /** the engine acted within someone's command (a copy node their completion reached): the entry names no user */
  readonly byEngine?: boolean;
}

/**
 * Writes one entry of the case timeline, in the command that did the thing, and audits it when a
 * person did it. Attachments must be files the actor can see (their tenant scope), so an id from
 * another tenant is refused rather than linked.
 */
export async function recordAction(context: CommandContext, record: ActionRecord): Promise<CaseActionEntity> {
  const comment = record.input?.comment?.trim() || null;
  if (comment && comment.length > MAX_COMMENT_LENGTH) throw new BadUserRequestError(`The comment has ${comment.length} characters; at most ${MAX_COMMENT_LENGTH} are kept`);
  const attachments = await checkedAttachments(context, record.input?.attachments ?? []);
  const task = record.task ?? null;
  const clock = task ? await taskClock(context, task, context.now()) : null;
  // acting on a task writes its row, so its revision check catches a concurrent 撤回 that saw it untouched
  if (task) task.lastUpdated = context.now();
  const action = context.session.insert(CASE_ACTION, {
    id: context.newId(),
    tenantId: record.tenantId,
    processInstanceId: record.processInstanceId,
    taskId: task?.id ?? null,
    activityId: task?.taskDefinitionKey ?? record.activityId ?? null,
    activityName: task?.name ?? record.activityName ?? null,
    operation: record.operation,
    userId: record.byEngine ? null : context.userId,
    target: record.target ?? null,
    comment,
    attachments: attachments.length > 0 ? attachments : null,
    time: context.now(),
    seq: context.nextSequence(),
    workingMs: clock?.workingMs ?? null,
    light: clock?.light ?? null,
  });
  context.audit({
    action: `case.${record.operation}`,
    objectType: task ? 'Task' : 'ProcessInstance',
    objectId: task?.id ?? record.processInstanceId,
    tenantId: record.tenantId,
    detail: { processInstanceId: record.processInstanceId, ...(record.target ? { target: record.target } : {}), ...(comment ? { comment } : {}) },
  });
  return action;
}

async function checkedAttachments(context: CommandContext, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_ATTACHMENTS) throw new BadUserRequestError(`${unique.length} attachments; at most ${MAX_ATTACHMENTS} may go with one operation`);
  if (unique.length === 0) return [];
  const found = await context.session.select(STORED_FILE, `id IN (${placeholders(unique.length)})`, unique);
  const missing = unique.filter((id) => !found.some((file) => file.id === id));
  if (missing.length > 0) throw new BadUserRequestError(`Attachment ${missing.map((id) => `'${id}'`).join(', ')} is not an uploaded file (upload it through /api/files first)`);
  return unique;
}
