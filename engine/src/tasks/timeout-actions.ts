import type { CommandContext } from '../command/index.js';
import type { OrganisationQuery } from '../bpmn/execute/index.js';
import { notify, taskHandlers } from '../notifications/index.js';
import { JOB, TASK, type JobEntity, type TaskEntity } from '../persistence/index.js';
import { CompleteTaskCmd } from '../services/commands/task.js';
import { deadlineConfig } from './deadlines.js';
import { userTaskOf } from './operation.js';
import { returnTargets, returnToPrevious } from './return.js';
import { isWaitingForSigners } from './task-state.js';
import { recordAction } from './timeline.js';

/**
 * A `task-deadline` job: "approaching" tells the task's handlers; "passed" tells them and runs
 * the task's timeout action (`yiwang:timeout:action`). The job is gone once it ran, whatever the
 * outcome, so each announcement is made once; a task that ended or was parked since (its jobs
 * are removed then, this covers a race with that) announces nothing.
 */
export async function runTaskDeadline(context: CommandContext, job: JobEntity): Promise<void> {
  context.session.delete(JOB, job);
  const { taskId, phase } = deadlineConfig(job);
  const task = await context.session.findById(TASK, taskId);
  if (!task || task.parkedAt) return;
  const handlers = await taskHandlers(context, task);
  const label = task.name ?? task.taskDefinitionKey;
  const due = task.dueDate?.toISOString() ?? '';
  if (phase === 'approaching') {
    await notify(context, { ...about(task), userIds: handlers, kind: 'deadline-approaching', title: `即将超时：${label}`, body: `办理时限 ${due} 到期 (due at ${due})` });
    return;
  }
  await notify(context, { ...about(task), userIds: handlers, kind: 'deadline-passed', title: `已超时：${label}`, body: `办理时限已于 ${due} 到期 (the time limit passed at ${due})` });
  const { timeoutAction } = (await userTaskOf(context, task)).operations;
  switch (timeoutAction) {
    case null:
    case 'remind':
      return;
    case 'escalate':
      return escalate(context, task, handlers);
    case 'auto-complete':
      return autoComplete(context, task);
    case 'auto-return':
      return autoReturn(context, task);
  }
}

function about(task: TaskEntity): { tenantId: string | null; processInstanceId: string; taskId: string } {
  return { tenantId: task.tenantId, processInstanceId: task.processInstanceId, taskId: task.id };
}

/**
 * 超时升级: the leader of each handler's department is told (the leader above, where the handler
 * leads their own department), and the timeline shows whom it went to.
 */
async function escalate(context: CommandContext, task: TaskEntity, handlers: readonly string[]): Promise<void> {
  const leaders = await leadersOf(context, task, handlers);
  const label = task.name ?? task.taskDefinitionKey;
  await notify(context, { ...about(task), userIds: leaders, kind: 'deadline-escalated', title: `超时督办：${label}`, body: `办理人 ${handlers.join('、')} 未在时限内办结 (not done in time by ${handlers.join(', ')})` });
  await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'escalate', target: { users: leaders } });
}

async function leadersOf(context: CommandContext, task: TaskEntity, handlers: readonly string[]): Promise<string[]> {
  const resolver = context.environment.taskAssignment?.resolver;
  if (!resolver || handlers.length === 0) return [];
  const query = (userId: string, levelsUp: number): OrganisationQuery => ({ kind: 'userLeader', userId, departmentId: null, levelsUp });
  const direct = await resolver.resolve(context, task.tenantId, handlers.map((userId) => query(userId, 0)));
  const leaders: string[] = [];
  for (const [index, userId] of handlers.entries()) {
    const found = direct[index]?.userIds ?? [];
    if (!found.includes(userId)) leaders.push(...found);
    else leaders.push(...((await resolver.resolve(context, task.tenantId, [query(userId, 1)]))[0]?.userIds ?? []).filter((leader) => leader !== userId));
  }
  return [...new Set(leaders)];
}

/**
 * 超时自动办结: the engine completes the task as it stands (no form data), the timeline showing
 * `timeout-complete`. A task that cannot be completed now — suspended, delegated (委派, waiting
 * to be resolved) or waiting for added signers (加签) — is left to its handlers, who were told.
 */
async function autoComplete(context: CommandContext, task: TaskEntity): Promise<void> {
  if (!movable(task)) return;
  await new CompleteTaskCmd(task.id, {}, {}, { operation: 'timeout-complete' }).execute(context);
}

/**
 * 超时自动退回: the task goes back to the latest earlier step (退回, as its handler would have sent
 * it). A task with no earlier step, or that cannot be moved now, stays with its handlers, who were told.
 */
async function autoReturn(context: CommandContext, task: TaskEntity): Promise<void> {
  if (!movable(task) || (await returnTargets(context, task)).length === 0) return;
  await returnToPrevious(context, task, { comment: '超时自动退回 (sent back automatically: the time limit passed)' });
}

/** Whether the engine may complete or move the task now: not suspended, delegated (委派), an added signer's task or waiting for added signers (加签). */
function movable(task: TaskEntity): boolean {
  return !task.suspended && task.delegationState !== 'PENDING' && !isWaitingForSigners(task) && !task.parentTaskId;
}
