import type { Command, CommandContext } from '../command/index.js';
import { InstanceRuntime, moveToken, planMove } from '../bpmn/execute/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { CASE_ACTION, HI_PROCESS_INSTANCE, HI_TASK, placeholders, TASK, type HistoricTaskEntity, type TaskEntity } from '../persistence/index.js';
import { requireOffered, userTaskOf, type OperationInput } from './operation.js';
import { caseIsParked } from './task-state.js';
import { recordAction } from './timeline.js';

/**
 * 撤回: whoever completed task X takes the case back while nothing X's completion started has been
 * touched — every task it created is still open, unopened, unclaimed and without a timeline
 * entry. Those tasks (and whatever else the move redoes) are cancelled and X's activity gets a new
 * task, assigned to the withdrawer.
 */
export class WithdrawTaskCmd implements Command<void> {
  readonly name = 'WithdrawTask';

  constructor(
    private readonly completedTaskId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const done = await completedTask(context, this.completedTaskId);
    if (done.assignee === null || done.assignee !== context.userId) {
      throw new ForbiddenError(`Only ${done.assignee ? `'${done.assignee}', who completed task '${done.id}',` : 'its handler'} may withdraw (撤回) it`);
    }
    const activity = await userTaskOf(context, done);
    requireOffered(done, activity, 'withdraw');
    const instance = await context.session.findById(HI_PROCESS_INSTANCE, done.processInstanceId);
    if (!instance || instance.endTime) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): its case has ended`);
    if (await caseIsParked(context, instance.id)) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): its case is parked (挂账); resume it first`);
    const next = await untouchedNextTasks(context, done);
    const runtime = await InstanceRuntime.load(context, done.processInstanceId);
    const plan = planMove(runtime, runtime.execution((next[0] as TaskEntity).executionId), done.taskDefinitionKey);
    if (!activity.multiInstance) runtime.taskOverride = { activityId: done.taskDefinitionKey, assignee: context.userId, returnTo: null };
    await recordAction(context, {
      processInstanceId: done.processInstanceId,
      tenantId: done.tenantId,
      activityId: done.taskDefinitionKey,
      activityName: done.name,
      operation: 'withdraw',
      target: { taskIds: next.map((t) => t.id) },
      input: this.input,
    });
    await moveToken(runtime, plan, 'withdrawn');
    const left = next.filter((t) => !context.session.isDeleted(TASK, t.id));
    if (left.length > 0) {
      throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): going back would leave ${names(left)} open beside it`);
    }
  }
}

async function completedTask(context: CommandContext, taskId: string): Promise<HistoricTaskEntity> {
  const done = await context.session.findById(HI_TASK, taskId);
  if (!done) throw new NotFoundError(`Task '${taskId}' does not exist`);
  if (!done.endTime) throw new ConflictError(`Task '${taskId}' is still open: only a completed task can be withdrawn (撤回)`);
  if (done.deleteReason !== 'completed') throw new ConflictError(`Task '${taskId}' was not completed but cancelled (${done.deleteReason}): there is nothing to withdraw (撤回)`);
  return done;
}

/** The open tasks `done`'s completion created, once it is sure none of them or anything after them was touched. */
async function untouchedNextTasks(context: CommandContext, done: HistoricTaskEntity): Promise<TaskEntity[]> {
  const created = await context.session.select(HI_TASK, 'previous_task_id = $1', [done.id]);
  if (created.length === 0) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): its completion created no task that waits, the case has moved on`);
  const ended = created.filter((t) => t.endTime);
  if (ended.length > 0) {
    const how = ended.map((t) => `${names([t])} ${t.deleteReason ?? 'ended'}`).join(', ');
    throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): the case has moved on (${how})`);
  }
  const open = await context.session.select(TASK, `previous_task_id = $1`, [done.id]);
  for (const task of open) {
    if (task.openedAt) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): the next task ${names([task])} was opened at ${task.openedAt.toISOString()}`);
    if (task.lastUpdated || task.owner) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): the next task ${names([task])} was claimed, handed on or acted on`);
  }
  // read by the (process_instance_id, seq) index: task_id has none, and case_action holds every case's timeline
  const cases = [...new Set(open.map((t) => t.processInstanceId))];
  const acted = await context.session.select(
    CASE_ACTION,
    `process_instance_id IN (${placeholders(cases.length)}) AND task_id IN (${placeholders(open.length, cases.length)})`,
    [...cases, ...open.map((t) => t.id)],
  );
  const first = acted[0];
  if (first) throw new ConflictError(`Task '${done.id}' cannot be withdrawn (撤回): the next task ${names(open.filter((t) => t.id === first.taskId))} was acted on (${first.operation})`);
  return open;
}

function names(tasks: readonly { id: string; name: string | null; taskDefinitionKey: string }[]): string {
  return tasks.map((t) => `'${t.name ?? t.taskDefinitionKey}' (${t.id})`).join(', ');
}
