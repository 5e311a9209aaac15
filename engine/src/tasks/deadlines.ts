import type { CommandContext } from '../command/index.js';
import type { InstanceRuntime } from '../bpmn/execute/index.js';
import { insertJob } from '../bpmn/execute/job-rows.js';
import type { UserTaskActivity } from '../bpmn/model/index.js';
import { addWorkingTime, calendarFor, parseTimeLimit, TimeLimitFormatError, workingTimeBetween, type WorkingCalendar } from '../calendar/index.js';
import { findDictionaryItems } from '../dictionaries/index.js';
import { ProcessEvaluationError } from '../errors/index.js';
import { evaluatePath, isEmptyValue, valueAt } from '../lookups/index.js';
import { JOB, TASK, type ExecutionEntity, type JobEntity, type StatusLight, type TaskEntity } from '../persistence/index.js';
import { taskLight, worstLight } from './lights.js';
import { userTaskOf } from './operation.js';

/** Where a task stands against its time limit at a moment: working time used (parked time excluded) and its light. */
export interface TaskClock {
  readonly workingMs: number;
  readonly limitMs: number | null;
  readonly light: StatusLight | null;
}

/** What a `task-deadline` job announces: the limit's warn ratio reached, or the limit itself. */
export type DeadlinePhase = 'approaching' | 'passed';

export interface DeadlineJobConfig {
  readonly taskId: string;
  readonly phase: DeadlinePhase;
}

/**
 * The working time a task has run at `at` on its tenant's calendar: from its creation to `at`, or
 * to when its case was parked while it is, less the working time of earlier parkings. The light
 * is the one `taskLight` reads from the due and warn dates, which are kept on the same calendar;
 * a task without a time limit has none here.
 */
export async function taskClock(context: CommandContext, task: TaskEntity, at: Date): Promise<TaskClock | null> {
  const { calendar } = await calendarFor(context, task.tenantId);
  const until = task.parkedAt && task.parkedAt < at ? task.parkedAt : at;
  const workingMs = Math.max(0, workingTimeBetween(calendar, task.createTime, until) - task.parkedMs);
  return { workingMs, limitMs: task.timeLimitMs, light: task.timeLimitMs === null ? null : taskLight(task, at) };
}

/**
 * A case's light: the worst light of its open tasks, because a case is as late as its latest
 * part — one overdue branch of a parallel review makes the whole case overdue for the public.
 * Null when none of its open tasks has a time limit.
 */
export function caseLight(openTasks: readonly TaskEntity[], at: Date): StatusLight | null {
  return worstLight(openTasks.filter((task) => task.timeLimitMs !== null).map((task) => taskLight(task, at)));
}

/**
 * A new user task's time limit, from `yiwang:timeLimit` (evaluated on the token) or the
 * dictionary item `yiwang:timeLimit:variable` names, at the path `yiwang:timeLimit:field`
 * gives: it sets the limit, the due date (replacing camunda:dueDate) and the warn date on the
 * tenant's calendar, and schedules the deadline jobs. A task whose limit comes out empty (no such
 * variable, item or field, or a path with an empty key) keeps no limit.
 * Called before the task's history row is written, which copies the limit and due date.
 */
export async function startTaskClock(runtime: InstanceRuntime, token: ExecutionEntity, activity: UserTaskActivity, task: TaskEntity): Promise<void> {
  const { timeLimit, timeLimitLookup } = activity.operations;
  if (!timeLimit && !timeLimitLookup) return;
  const { context } = runtime;
  const { calendar } = await calendarFor(context, task.tenantId);
  const [value, what] = timeLimit
    ? [await runtime.evaluate(timeLimit, token, `yiwang:timeLimit of user task '${activity.id}'`), `yiwang:timeLimit (${timeLimit.source})`]
    : await lookedUpLimit(runtime, token, activity, task);
  const limitMs = limitOf(calendar, value, `${what} of user task '${activity.id}'`);
  if (limitMs === null) return;
  task.timeLimitMs = limitMs;
  setDeadlines(calendar, task, activity.operations.warnRatio);
  // a task created while its case is parked (createUserTask set parkedAt) gets its jobs when the case resumes
  if (!task.parkedAt) scheduleDeadlineJobs(context, task);
}

/**
 * The value at `yiwang:timeLimit:field` in the `extra` of the dictionary item whose code the
 * variable holds, looked up in the task's tenant (its own dictionary, else the shared one). The
 * field is a dot path evaluated on the token (`limits.${urgency}`: the category's limit for the
 * case's urgency tier); a path that comes out empty finds nothing, like an unset variable.
 */
async function lookedUpLimit(runtime: InstanceRuntime, token: ExecutionEntity, activity: UserTaskActivity, task: TaskEntity): Promise<[unknown, string]> {
  const { dictionary, variable, field } = activity.operations.timeLimitLookup as NonNullable<UserTaskActivity['operations']['timeLimitLookup']>;
  await runtime.variables.ensureLoaded();
  const code = runtime.variables.resolver(runtime.chain(token), {}).get(variable);
  const described = (path: string) => `extra.${path} of the item '${String(code)}' of the dictionary '${dictionary}' (yiwang:timeLimit:dictionary)`;
  if (isEmptyValue(code)) return [null, described(field.source)];
  const keys = await evaluatePath(runtime, token, field, `yiwang:timeLimit:field of user task '${activity.id}'`);
  if (!keys) return [null, described(field.source)];
  const [item] = await findDictionaryItems(runtime.context.session, dictionary, [String(code)], task.tenantId);
  return [item ? (valueAt(item.extra, keys) ?? null) : null, described(keys.join('.'))];
}

function limitOf(calendar: WorkingCalendar, value: unknown, what: string): number | null {
  try {
    return parseTimeLimit(calendar, value);
  } catch (error) {
    if (error instanceof TimeLimitFormatError) throw new ProcessEvaluationError(`${what}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Due and warn dates from the limit: the instants at which the task's clock (parked time left
 * out) reaches the limit and its warn share, so comparing instants compares working time.
 */
function setDeadlines(calendar: WorkingCalendar, task: TaskEntity, warnRatio: number): void {
  const limitMs = task.timeLimitMs as number;
  task.dueDate = addWorkingTime(calendar, task.createTime, limitMs + task.parkedMs);
  task.warnDate = addWorkingTime(calendar, task.createTime, Math.round(limitMs * warnRatio) + task.parkedMs);
}

/**
 * A job at the warn date and one at the due date, each only while still ahead (a warning given
 * before the case was parked is not given again). Their execution is the task's, so cancelling
 * the task's activity removes them; the task's id in their configuration tells them apart from
 * the deadline jobs of a later task on the same token.
 */
function scheduleDeadlineJobs(context: CommandContext, task: TaskEntity): void {
  const phases: [DeadlinePhase, Date | null][] = [['approaching', task.warnDate], ['passed', task.dueDate]];
  for (const [phase, dueDate] of phases) {
    if (!dueDate || dueDate <= context.now()) continue;
    const config: DeadlineJobConfig = { taskId: task.id, phase };
    insertJob(context, {
      handlerType: 'task-deadline',
      dueDate,
      handlerConfig: { ...config },
      processInstanceId: task.processInstanceId,
      executionId: task.executionId,
      processDefinitionId: task.processDefinitionId,
      activityId: task.taskDefinitionKey,
      tenantId: task.tenantId,
    });
  }
}

/** The deadline jobs of a task that ends or whose deadlines move; none to look for on a task without a time limit. */
export async function removeDeadlineJobs(context: CommandContext, task: TaskEntity): Promise<void> {
  if (task.timeLimitMs === null) return;
  const jobs = await context.session.select(JOB, "execution_id = $1 AND handler_type = 'task-deadline'", [task.executionId]);
  for (const job of jobs) if (deadlineConfig(job).taskId === task.id && !context.session.isDeleted(JOB, job.id)) context.session.delete(JOB, job);
}

export function deadlineConfig(job: JobEntity): DeadlineJobConfig {
  return job.handlerConfig as unknown as DeadlineJobConfig;
}

/** 挂账: the clocks of the instance's open tasks stop now; their deadline jobs go until the case resumes. */
export async function parkTaskClocks(context: CommandContext, processInstanceId: string): Promise<void> {
  const now = context.now();
  for (const task of await context.session.select(TASK, 'process_instance_id = $1 AND parked_at IS NULL', [processInstanceId])) {
    task.parkedAt = now;
    await removeDeadlineJobs(context, task);
  }
}

/**
 * 恢复: the clocks go on. The working time the case stood still is added to each task's parked
 * time, its due and warn dates move by it (a due date without a time limit moves too), and the
 * deadline jobs still ahead are scheduled again.
 */
export async function resumeTaskClocks(context: CommandContext, processInstanceId: string): Promise<void> {
  const now = context.now();
  for (const task of await context.session.select(TASK, 'process_instance_id = $1 AND parked_at IS NOT NULL', [processInstanceId])) {
    const { calendar } = await calendarFor(context, task.tenantId);
    const parkedMs = workingTimeBetween(calendar, task.parkedAt as Date, now);
    task.parkedMs += parkedMs;
    task.parkedAt = null;
    if (task.timeLimitMs !== null) {
      setDeadlines(calendar, task, (await userTaskOf(context, task)).operations.warnRatio);
      scheduleDeadlineJobs(context, task);
    } else if (task.dueDate) {
      task.dueDate = addWorkingTime(calendar, task.dueDate, parkedMs);
    }
  }
}

/**
 * 延期 granted: the limit grows by `extensionMs` of working time, the due and warn dates move
 * with it, and the deadline jobs are scheduled again (a task that had no limit gets one ending
 * the extension's length from now, in working time). While the case is parked the jobs wait for its resumption.
 */
export async function extendTaskLimit(context: CommandContext, task: TaskEntity, extensionMs: number): Promise<void> {
  const { calendar } = await calendarFor(context, task.tenantId);
  await removeDeadlineJobs(context, task);
  const base = task.timeLimitMs ?? (await taskClock(context, task, context.now()))?.workingMs ?? 0;
  task.timeLimitMs = base + extensionMs;
  setDeadlines(calendar, task, (await userTaskOf(context, task)).operations.warnRatio);
  if (!task.parkedAt) scheduleDeadlineJobs(context, task);
}
