import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError } from '../errors/index.js';
import type { TaskEntity } from '../persistence/index.js';
import { notify, usersOf } from '../notifications/index.js';
import { AssignTaskCmd, reassignTask } from '../services/commands/task.js';
import { DelegateTaskCmd, ResolveTaskCmd } from '../services/commands/task-delegation.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** 转办: the new assignee owns the task from now on; it does not come back (unlike 委派). */
export class TransferTaskCmd implements Command<void> {
  readonly name = 'TransferTask';

  constructor(
    private readonly taskId: string,
    private readonly userId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task } = await openTaskFor(context, this.taskId, 'transfer', 'complete');
    if (task.delegationState === 'PENDING') throw new ConflictError(`Task '${task.id}' is delegated to ${task.assignee}: it must be resolved before it is transferred`);
    await requireColleague(context, task, this.userId);
    const from = task.assignee;
    task.owner = null;
    task.delegationState = null;
    await reassignTask(context, task, this.userId, 'Transfer');
    await recordAction(context, { ...caseOf(task), task, operation: 'transfer', target: { from, userId: this.userId }, input: this.input });
    await announceAssignment(context, task, this.userId);
  }
}

/** 委派: another user works on the task for its owner and gives it back (归还) instead of completing it. */
export class DelegateOperationCmd implements Command<void> {
  readonly name = 'DelegateTask';

  constructor(
    private readonly taskId: string,
    private readonly userId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task } = await openTaskFor(context, this.taskId, 'delegate', null);
    await requireColleague(context, task, this.userId);
    await new DelegateTaskCmd(task.id, this.userId).execute(context);
    await recordAction(context, { ...caseOf(task), task, operation: 'delegate', target: { owner: task.owner, userId: this.userId }, input: this.input });
    await announceAssignment(context, task, this.userId);
  }
}

/** 归还: the delegate gives the task back to its owner, with what they filled in. */
export class ResolveOperationCmd implements Command<void> {
  readonly name = 'ResolveTask';

  constructor(
    private readonly taskId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task } = await openTaskFor(context, this.taskId, null, null);
    await new ResolveTaskCmd(task.id, {}).execute(context);
    await recordAction(context, { ...caseOf(task), task, operation: 'resolve', target: { userId: task.assignee }, input: this.input });
    if (task.assignee) await announceAssignment(context, task, task.assignee, 'task-resolved');
  }
}

/** 认领 (claim) and 释放 (unclaim): the acting user takes an offered task, or gives it back to its candidates. */
export class ClaimOperationCmd implements Command<void> {
  readonly name = 'ClaimTask';

  constructor(
    private readonly taskId: string,
    private readonly mode: 'claim' | 'unclaim',
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task } = await openTaskFor(context, this.taskId, null, null);
    if (this.mode === 'unclaim' && task.delegationState === 'PENDING') throw new ConflictError(`Task '${task.id}' is delegated: it is resolved, not released`);
    await new AssignTaskCmd(task.id, this.mode === 'claim' ? context.userId : null, this.mode).execute(context);
    await recordAction(context, { ...caseOf(task), task, operation: this.mode });
  }
}

export function caseOf(task: TaskEntity): { processInstanceId: string; tenantId: string | null } {
  return { processInstanceId: task.processInstanceId, tenantId: task.tenantId };
}

/** A task goes only to an enabled user of its own tenant, and not back to who holds it. */
async function requireColleague(context: CommandContext, task: TaskEntity, userId: string): Promise<void> {
  if (userId === task.assignee) throw new BadUserRequestError(`Task '${task.id}' is already assigned to ${userId}`);
  await usersOf(context, { users: [userId] }, task.tenantId);
}

async function announceAssignment(context: CommandContext, task: TaskEntity, userId: string, kind = 'task-assigned'): Promise<void> {
  await notify(context, {
    tenantId: task.tenantId, userIds: [userId], kind, title: `${kind === 'task-resolved' ? '委派已归还' : '新待办'}：${task.name ?? task.taskDefinitionKey}`,
    processInstanceId: task.processInstanceId, taskId: task.id,
  });
}
