import type { Command, CommandContext } from '../command/index.js';
import { InstanceRuntime, moveToken, planMove, type MovePlan } from '../bpmn/execute/index.js';
import type { UserTaskActivity } from '../bpmn/model/index.js';
import { BadUserRequestError, ConflictError, EngineError } from '../errors/index.js';
import { notify } from '../notifications/index.js';
import { HI_TASK, type ExecutionEntity, type HistoricTaskEntity, type TaskEntity } from '../persistence/index.js';
import { openTaskFor, userTaskOf, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** An earlier step a task can be sent back to (退回), with who did it last and when. */
export interface ReturnCandidate {
  readonly activityId: string;
  readonly activityName: string | null;
  /** who completed it last: the re-created task goes to them */
  readonly userId: string | null;
  readonly completedAt: Date;
  /** the task of that last completion */
  readonly taskId: string;
}

/**
 * Where the task can be sent back to: the user tasks of its instance completed before, each
 * activity once with its last completion, that lead to where the task stands — not the task's own
 * activity, not a step of another parallel branch, not one inside a sub-process the task is not
 * in. Oldest first.
 */
export async function returnTargets(context: CommandContext, task: TaskEntity): Promise<ReturnCandidate[]> {
  const runtime = await InstanceRuntime.load(context, task.processInstanceId);
  const token = runtime.execution(task.executionId);
  const completed = await context.session.select(HI_TASK, 'process_instance_id = $1 AND delete_reason = $2', [task.processInstanceId, 'completed']);
  const candidates: ReturnCandidate[] = [];
  for (const done of lastCompletionPerActivity(completed)) {
    if (done.taskDefinitionKey === task.taskDefinitionKey) continue;
    if (runtime.process.model.activities.get(done.taskDefinitionKey)?.kind !== 'userTask') continue;
    const plan = plannedOrNull(runtime, token, done.taskDefinitionKey);
    if (!plan?.leadsBack) continue;
    candidates.push({ activityId: done.taskDefinitionKey, activityName: done.name, userId: done.assignee, completedAt: done.endTime as Date, taskId: done.id });
  }
  return candidates.sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime() || a.taskId.localeCompare(b.taskId));
}

/** An added signer's task (加签) is no step of the process: the activity's own tasks count. Row ids are time-ordered, so the larger wins a tie. */
function lastCompletionPerActivity(completed: readonly HistoricTaskEntity[]): HistoricTaskEntity[] {
  const last = new Map<string, HistoricTaskEntity>();
  for (const done of completed) {
    if (done.parentTaskId || !done.endTime) continue;
    const seen = last.get(done.taskDefinitionKey);
    const later = !seen || (seen.endTime as Date).getTime() < done.endTime.getTime() || ((seen.endTime as Date).getTime() === done.endTime.getTime() && seen.id < done.id);
    if (later) last.set(done.taskDefinitionKey, done);
  }
  return [...last.values()];
}

/** A move the runtime refuses (into a sub-process the task is not in, stranding a join) is no candidate. */
function plannedOrNull(runtime: InstanceRuntime, token: ExecutionEntity, activityId: string): MovePlan | null {
  try {
    return planMove(runtime, token, activityId);
  } catch (error) {
    if (error instanceof EngineError) return null;
    throw error;
  }
}

/**
 * Sends the task back to `targetActivityId`, one of its `returnTargets`: the task and whatever the
 * target leads to again are cancelled (see modification.ts), the target's task is created anew for
 * whoever completed it last. With `yiwang:return:resubmit` = direct on the returning task, that
 * new task remembers the returner: completing it goes straight back to the returner's activity.
 */
export async function returnTask(context: CommandContext, task: TaskEntity, activity: UserTaskActivity, targetActivityId: string, input: OperationInput): Promise<void> {
  const targets = await returnTargets(context, task);
  const target = targets.find((t) => t.activityId === targetActivityId);
  if (!target) {
    const offered = targets.map((t) => `'${t.activityId}'${t.activityName ? ` (${t.activityName})` : ''}`).join(', ');
    throw new BadUserRequestError(
      `Task '${task.id}' cannot be sent back (退回) to '${targetActivityId}': ${offered ? `it can go back to ${offered}` : 'it has no earlier step to go back to'}`,
    );
  }
  const runtime = await InstanceRuntime.load(context, task.processInstanceId);
  const plan = planMove(runtime, runtime.execution(task.executionId), target.activityId);
  const returner = context.userId ?? task.assignee;
  await recordAction(context, {
    processInstanceId: task.processInstanceId,
    tenantId: task.tenantId,
    task,
    operation: 'return',
    target: { activityId: target.activityId, activityName: target.activityName, userId: target.userId },
    input,
  });
  if (!plan.enters.multiInstance && plan.enters.kind !== 'multiInstanceBody') {
    const direct = activity.operations.resubmit === 'direct' && goesStraightBack(plan, activity) && returner !== null;
    runtime.taskOverride = { activityId: target.activityId, assignee: target.userId, returnTo: direct ? { activityId: activity.id, userId: returner } : null };
  }
  await moveToken(runtime, plan, 'returned');
  // only a task re-created for its earlier handler is announced here; the others were announced as new tasks
  const handedBack = runtime.taskOverride === null && target.userId !== null && !plan.enters.multiInstance && plan.enters.kind !== 'multiInstanceBody';
  const recreated = handedBack ? (await runtime.openWork()).tasks.filter((t) => t.taskDefinitionKey === target.activityId && t.assignee === target.userId) : [];
  for (const created of recreated) {
    await notify(context, {
      tenantId: created.tenantId,
      userIds: [created.assignee as string],
      kind: 'returned',
      title: `退回：${created.name ?? created.taskDefinitionKey}`,
      body: input.comment ?? null,
      processInstanceId: created.processInstanceId,
      taskId: created.id,
    });
  }
}

/**
 * Going straight back is only offered where it cannot skip work: the returner's own token moved
 * alone (no other parallel branch was cancelled or counted as done), within one scope, and
 * neither step is multi-instance (going back would re-create every signer's task, not the returner's).
 */
function goesStraightBack(plan: MovePlan, activity: UserTaskActivity): boolean {
  return plan.cancelled.length === 0 && plan.arrived.length === 0 && plan.branch.activityId === activity.id && plan.enters.scope === activity.scope && !activity.multiInstance;
}

/** 退回: the assignee sends the task back to an earlier step (`returnTargets` lists them). */
export class ReturnTaskCmd implements Command<void> {
  readonly name = 'ReturnTask';

  constructor(
    private readonly taskId: string,
    private readonly targetActivityId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task, activity } = await openTaskFor(context, this.taskId, 'return', 'complete');
    await returnTask(context, task, activity, this.targetActivityId, this.input);
  }
}

/** The candidates a task may be sent back to, for the task's assignee (the return dialog). */
export class ReturnTargetsQuery implements Command<ReturnCandidate[]> {
  readonly name = 'ReturnTargets';

  constructor(private readonly taskId: string) {}

  async execute(context: CommandContext): Promise<ReturnCandidate[]> {
    const { task } = await openTaskFor(context, this.taskId, 'return', 'complete');
    return returnTargets(context, task);
  }
}

/**
 * The timeout action auto-return: the task goes back to the latest earlier step, as its
 * handler would have sent it. Refused (409) when there is none.
 */
export async function returnToPrevious(context: CommandContext, task: TaskEntity, input: OperationInput): Promise<void> {
  const latest = (await returnTargets(context, task)).at(-1);
  if (!latest) throw new ConflictError(`Task '${task.id}' has no earlier step to be sent back (退回) to`);
  await returnTask(context, task, await userTaskOf(context, task), latest.activityId, input);
}
