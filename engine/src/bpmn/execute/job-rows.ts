import { Duration } from 'luxon';
import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import { JOB, type JobEntity } from '../../persistence/index.js';

/**
 * `camunda:failedJobRetryTimeCycle`: how often a failing job is tried again and how long to wait
 * in between. Two forms, as in Camunda 7: `R5/PT10M` (5 retries, 10 minutes apart) or a list of
 * durations `PT1M,PT5M,PT30M` (one retry after each).
 */
export interface RetryCycle {
  readonly retries: number;
  /** the wait before the next try, given the retries left after this failure */
  delayMs(retriesLeft: number): number;
}

export function parseRetryCycle(text: string, elementId: string): RetryCycle {
  const repeating = /^R(\d+)\/(P.+)$/.exec(text.trim());
  if (repeating) {
    const delay = durationMs(repeating[2] as string, text, elementId);
    return { retries: Number(repeating[1]), delayMs: () => delay };
  }
  const delays = text.split(',').map((part) => durationMs(part.trim(), text, elementId));
  // retry i (counted from the first) waits delays[i]: with n retries left, n - 1 are still to come
  return { retries: delays.length, delayMs: (retriesLeft) => delays[Math.max(0, delays.length - retriesLeft - 1)] ?? 0 };
}

function durationMs(part: string, text: string, elementId: string): number {
  const duration = Duration.fromISO(part);
  if (!duration.isValid || duration.toMillis() <= 0) {
    throw new BadUserRequestError(`camunda:failedJobRetryTimeCycle '${text}' of '${elementId}' is neither R<n>/<duration> nor a list of ISO 8601 durations`);
  }
  return duration.toMillis();
}

/** Retries of a job before it becomes an incident, unless `camunda:failedJobRetryTimeCycle` says otherwise. */
export const DEFAULT_JOB_RETRIES = 3;

/** The retry fields of a new job: the cycle's retries, or the default when there is none. */
export function retryFields(cycleText: string | null, elementId: string): { retries: number; retryTimeCycle: string | null } {
  if (!cycleText) return { retries: DEFAULT_JOB_RETRIES, retryTimeCycle: null };
  return { retries: parseRetryCycle(cycleText, elementId).retries, retryTimeCycle: cycleText };
}

export type NewJob = Partial<JobEntity> & Pick<JobEntity, 'handlerType' | 'dueDate'>;

/** A new job row: unlocked, the default retries, exclusive unless `fields` say otherwise. The job executor hears of it after the commit. */
export function insertJob(context: CommandContext, fields: NewJob): JobEntity {
  const job = context.session.insert(JOB, {
    id: context.newId(),
    rev: 1,
    handlerConfig: null,
    processInstanceId: null,
    executionId: null,
    processDefinitionId: null,
    processDefinitionKey: null,
    activityId: null,
    repeat: null,
    firedCount: 0,
    lockOwner: null,
    lockExpirationTime: null,
    retries: DEFAULT_JOB_RETRIES,
    retryTimeCycle: null,
    exceptionMessage: null,
    exceptionStacktrace: null,
    exclusive: true,
    priority: 0,
    suspended: false,
    tenantId: null,
    createTime: context.now(),
    ...fields,
  });
  context.jobScheduled(job.dueDate);
  return job;
}
