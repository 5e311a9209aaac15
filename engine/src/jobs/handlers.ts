import type { CommandContext } from '../command/index.js';
import { eventTriggered, InstanceRuntime, startByEvent, type AsyncContinuationConfig } from '../bpmn/execute/index.js';
import { JOB, type JobEntity } from '../persistence/index.js';
import { runTaskDeadline } from '../tasks/timeout-actions.js';
import { parseTimer } from '../timer/index.js';

/** What each kind of job does when it runs, inside the job's transaction. */
export async function runJobHandler(context: CommandContext, job: JobEntity): Promise<void> {
  switch (job.handlerType) {
    case 'timer':
      return fireTimer(context, job);
    case 'timer-start':
      await startByEvent(context, job.processDefinitionId as string, job.activityId as string);
      return finishTimer(context, job);
    case 'async-continuation':
      return continueAsync(context, job);
    case 'task-deadline':
      return runTaskDeadline(context, job);
  }
}

/** A timer reaches the token waiting for it; a job whose token has gone (the instance moved on) just goes. */
async function fireTimer(context: CommandContext, job: JobEntity): Promise<void> {
  const runtime = await InstanceRuntime.load(context, job.processInstanceId as string);
  const token = runtime.findExecution(job.executionId as string);
  if (token) await eventTriggered(runtime, token, job.activityId as string);
  finishTimer(context, job);
}

/**
 * A cycle that still has firings left and whose waiter still waits (a non-interrupting boundary
 * timer, a timer start event) is due again at its next occurrence after now, so occurrences missed
 * while the platform was down fire once, not in a burst. Any other timer is done.
 */
function finishTimer(context: CommandContext, job: JobEntity): void {
  if (context.session.isDeleted(JOB, job.id)) return; // the trigger cancelled its own waiting
  const now = context.now();
  const firedCount = job.firedCount + 1;
  const next = job.repeat && job.dueDate
    ? parseTimer('timeCycle', job.repeat, { timeZone: context.environment.timeZone }).nextDue(job.dueDate, now, firedCount)
    : null;
  if (!next) {
    context.session.delete(JOB, job);
    return;
  }
  Object.assign(job, { dueDate: next, firedCount, lockOwner: null, lockExpirationTime: null, exceptionMessage: null, exceptionStacktrace: null });
}

async function continueAsync(context: CommandContext, job: JobEntity): Promise<void> {
  context.session.delete(JOB, job);
  const runtime = await InstanceRuntime.load(context, job.processInstanceId as string);
  const token = runtime.findExecution(job.executionId as string);
  if (!token) return;
  const config = job.handlerConfig as unknown as AsyncContinuationConfig;
  await runtime.resumeAsync(token, config.phase, config.flowIds);
}
