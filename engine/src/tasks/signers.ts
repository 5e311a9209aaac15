import type { Command, CommandContext } from '../command/index.js';
import { InstanceRuntime } from '../bpmn/execute/index.js';
import { HistoryWriter } from '../bpmn/execute/history.js';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { notify } from '../notifications/index.js';
import { HI_TASK, placeholders, TASK, USER, type DbSession, type TaskEntity } from '../persistence/index.js';
import { completeTask, hasAny, loadOpenTask } from '../services/commands/task.js';
import type { VariableMap } from '../variables/index.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { refuseWhileParked } from './task-state.js';
import { recordAction } from './timeline.js';

/**
 * 加签 and 减签. The assignee of a task adds signers before (前加签: they act first, then the task
 * returns to the assignee) or after (后加签: the assignee is done, and the task completes by
 * itself once the last signer has signed). Each signer gets a task of their own beside the
 * parent — same execution, activity and form, `parentTaskId` set — which moves no token; the
 * parent waits (`signState` waiting-before / waiting-after) and refuses completion and every
 * operation meanwhile.
 */

export const SIGNER_POSITIONS = ['before', 'after'] as const;
export type SignerPosition = (typeof SIGNER_POSITIONS)[number];

/** Most signers one 加签 may add. */
export const MAX_SIGNERS = 20;

/** The delete reason of a signer's task its parent's assignee took back (减签). */
export const SIGNER_REMOVED = 'signer removed';

export interface AddSignersInput extends OperationInput {
  readonly users: readonly string[];
  readonly position: SignerPosition;
}

/** What a signer signs with: a comment, files, and variables written to the case as a completion would write them. */
export interface SignInput extends OperationInput {
  readonly variables?: VariableMap;
  readonly localVariables?: VariableMap;
}

/** An added signer of a task, open or done. */
export interface Signer {
  readonly taskId: string;
  readonly userId: string;
  readonly position: SignerPosition;
  readonly state: 'open' | 'signed' | 'removed' | 'cancelled';
  readonly created: Date;
  readonly ended: Date | null;
}

/** 加签: answers the signers' new tasks. */
export class AddSignersCmd implements Command<Signer[]> {
  readonly name = 'AddSigners';

  constructor(
    private readonly taskId: string,
    private readonly input: AddSignersInput,
  ) {}

  async execute(context: CommandContext): Promise<Signer[]> {
    const { task } = await openTaskFor(context, this.taskId, 'add-signer', 'complete');
    if (task.parentTaskId) throw new ConflictError(`Task '${task.id}' is an added signer's task (加签): only the assignee of task '${task.parentTaskId}' adds signers`);
    requireAssignee(context, task, 'add signers to');
    const { position } = this.input;
    if (!SIGNER_POSITIONS.includes(position)) throw new BadUserRequestError(`A signer goes before or after the assignee, not '${String(position)}'`);
    const userIds = await signerUsers(context, task, this.input.users);
    const history = await historyOf(context, task);
    const signerTasks = userIds.map((userId) => insertSignerTask(context, task, userId, position));
    for (const signerTask of signerTasks) history.taskCreated(signerTask);
    task.signState = position === 'before' ? 'waiting-before' : 'waiting-after';
    task.lastUpdated = context.now();
    await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'add-signer', target: { users: userIds, position }, input: this.input });
    for (const signerTask of signerTasks) {
      await notify(context, {
        tenantId: task.tenantId,
        userIds: [signerTask.assignee as string],
        kind: 'task-assigned',
        title: `加签: ${task.name ?? task.taskDefinitionKey}`,
        processInstanceId: task.processInstanceId,
        taskId: signerTask.id,
      });
    }
    return signerTasks.map((signerTask) => ({ taskId: signerTask.id, userId: signerTask.assignee as string, position, state: 'open', created: signerTask.createTime, ended: null }));
  }
}

/** A signer signs: their task ends; the last one hands the parent back (before) or completes it (after). */
export class CompleteSignerTaskCmd implements Command<void> {
  readonly name = 'CompleteSignerTask';

  constructor(
    private readonly signerTaskId: string,
    private readonly input: SignInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    await completeSignerTask(context, await loadOpenTask(context, this.signerTaskId), this.input);
  }
}

/** Signing an open signer's task (also what completing it through the task service does). */
export async function completeSignerTask(context: CommandContext, task: TaskEntity, input: SignInput): Promise<void> {
  if (!task.parentTaskId) throw new ConflictError(`Task '${task.id}' is not an added signer's task (加签): complete it instead`);
  refuseWhileParked(task);
  if (context.userId !== null && task.assignee !== context.userId) {
    throw new ForbiddenError(`${context.userId} may not sign task '${task.id}': it is ${task.assignee}'s to sign (加签)`);
  }
  const parent = await parentOf(context, task);
  const variables = input.variables ?? {};
  const localVariables = input.localVariables ?? {};
  const runtime = await InstanceRuntime.load(context, task.processInstanceId, hasAny(variables, localVariables));
  const token = runtime.execution(task.executionId);
  await runtime.setVariables(token, localVariables, true);
  await runtime.setVariables(token, variables);
  await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'sign', input });
  context.session.delete(TASK, task);
  runtime.history.taskEnded(task, 'completed');
  await signerLeft(context, parent, 'signed');
}

/** 减签: the parent's assignee takes back an open signer's task, named by its id or its signer's user id. */
export class RemoveSignerCmd implements Command<void> {
  readonly name = 'RemoveSigner';

  constructor(
    private readonly parentTaskId: string,
    private readonly signer: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const parent = await loadOpenTask(context, this.parentTaskId);
    refuseWhileParked(parent);
    requireAssignee(context, parent, 'remove signers of');
    const open = await openSignerTasks(context.session, parent.id);
    const signerTask = open.find((t) => t.id === this.signer) ?? open.find((t) => t.assignee === this.signer);
    if (!signerTask) return refuseRemoval(context, parent, this.signer);
    context.session.delete(TASK, signerTask);
    (await historyOf(context, signerTask)).taskEnded(signerTask, SIGNER_REMOVED);
    await recordAction(context, {
      processInstanceId: parent.processInstanceId,
      tenantId: parent.tenantId,
      task: parent,
      operation: 'remove-signer',
      target: { user: signerTask.assignee, signerTaskId: signerTask.id },
      input: this.input,
    });
    await signerLeft(context, parent, 'removed');
  }
}

/**
 * The signers added to a task, open and done: by when they were added, those added together by
 * user id. Read through the task's case (the history index on process_instance_id): parent_task_id
 * has no index on hi_task, which holds every case's tasks.
 */
export async function signersOf(session: DbSession, task: { readonly id: string; readonly processInstanceId: string }): Promise<Signer[]> {
  const rows = await session.select(HI_TASK, 'process_instance_id = $1 AND parent_task_id = $2', [task.processInstanceId, task.id], 'ORDER BY start_time, assignee');
  return rows.map((row) => ({
    taskId: row.id,
    userId: row.assignee as string,
    position: row.signState === 'after' ? 'after' : 'before',
    state: row.endTime === null ? 'open' : row.deleteReason === 'completed' ? 'signed' : row.deleteReason === SIGNER_REMOVED ? 'removed' : 'cancelled',
    created: row.startTime,
    ended: row.endTime,
  }));
}

/**
 * A signer left (signed or removed). Every such change writes the parent's row, so of two last
 * signers finishing at once one fails the revision check (409) and, retried, finds itself last:
 * neither both nor none of them end the wait. The last one's leaving ends it: a signed 后加签
 * completes the parent (its token moves on); otherwise the task returns to its assignee.
 */
async function signerLeft(context: CommandContext, parent: TaskEntity, how: 'signed' | 'removed'): Promise<void> {
  parent.rev += 1;
  parent.lastUpdated = context.now();
  if ((await openSignerTasks(context.session, parent.id)).length > 0) return;
  const completes = parent.signState === 'waiting-after' && how === 'signed';
  parent.signState = null;
  if (completes) await completeTask(context, parent, {}, {}, { operation: 'complete' });
}

async function openSignerTasks(session: DbSession, parentTaskId: string): Promise<TaskEntity[]> {
  return session.select(TASK, 'parent_task_id = $1', [parentTaskId]);
}

async function parentOf(context: CommandContext, task: TaskEntity): Promise<TaskEntity> {
  const parent = await context.session.findById(TASK, task.parentTaskId as string);
  // cancelling a task's activity removes its signers' tasks with it, so an open signer always has its parent
  if (!parent) throw new Error(`signer task '${task.id}' has lost its parent task '${task.parentTaskId}'`);
  return parent;
}

/** Only the task's assignee adds and removes its signers (the engine itself may too). */
function requireAssignee(context: CommandContext, task: TaskEntity, what: string): void {
  if (!task.assignee) throw new ConflictError(`Task '${task.id}' has no assignee: claim it before you ${what} it (加签)`);
  if (context.userId !== null && task.assignee !== context.userId) {
    throw new ForbiddenError(`${context.userId} may not ${what} task '${task.id}': only its assignee ${task.assignee} may (加签)`);
  }
}

/** The distinct users asked for, each an enabled user of the task's tenant other than its assignee. */
async function signerUsers(context: CommandContext, task: TaskEntity, requested: readonly string[]): Promise<string[]> {
  const userIds = [...new Set(requested)];
  if (userIds.length === 0) throw new BadUserRequestError('Name at least one user to add as a signer (加签)');
  if (userIds.length > MAX_SIGNERS) throw new BadUserRequestError(`${userIds.length} signers; at most ${MAX_SIGNERS} may be added at once (加签)`);
  if (userIds.includes(task.assignee as string)) throw new BadUserRequestError(`${task.assignee} is the assignee of task '${task.id}' and cannot be added as its signer (加签)`);
  // the command's session sees the actor's tenants only, so another tenant's user reads as unknown
  const users = await context.session.select(USER, `id IN (${placeholders(userIds.length)})`, userIds);
  const refused = userIds.flatMap((id) => {
    const user = users.find((u) => u.id === id);
    if (!user || (task.tenantId !== null && user.tenantId !== task.tenantId)) return [`'${id}' (not a user of ${task.tenantId ? `tenant ${task.tenantId}` : 'the platform'})`];
    return user.enabled ? [] : [`'${id}' (disabled)`];
  });
  if (refused.length > 0) throw new BadUserRequestError(`Cannot add ${refused.join(', ')} as signers of task '${task.id}' (加签)`);
  return userIds;
}

/** The signer's task: the parent's activity, form and case, assigned to the signer. */
function insertSignerTask(context: CommandContext, parent: TaskEntity, userId: string, position: SignerPosition): TaskEntity {
  return context.session.insert(TASK, {
    ...parent,
    id: context.newId(),
    rev: 1,
    assignee: userId,
    owner: null,
    delegationState: null,
    createTime: context.now(),
    lastUpdated: null,
    assignmentFallback: false,
    parentTaskId: parent.id,
    signState: position,
    previousTaskId: null,
    returnTo: null,
    // the parent's limit keeps counting; a signer's task has none of its own
    timeLimitMs: null,
    openedAt: null,
    urgeCount: 0,
  });
}

async function historyOf(context: CommandContext, task: TaskEntity): Promise<HistoryWriter> {
  return new HistoryWriter(context, await context.environment.deployments.get(context.session, task.processDefinitionId));
}

/** No open signer by that name: a done one is a conflict, anything else unknown. */
async function refuseRemoval(context: CommandContext, parent: TaskEntity, signer: string): Promise<never> {
  const [done] = await context.session.select(HI_TASK, 'process_instance_id = $1 AND parent_task_id = $2 AND (id = $3 OR assignee = $3)', [parent.processInstanceId, parent.id, signer]);
  if (done) throw new ConflictError(`Signer '${done.assignee}' of task '${parent.id}' is no longer open (${done.deleteReason}): only an open signer can be removed (减签)`);
  throw new NotFoundError(`'${signer}' is not a signer added to task '${parent.id}'`);
}
