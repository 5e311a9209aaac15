import type { ExecutionEntity } from '../../persistence/index.js';
import type { Activity } from '../model/index.js';
import { asOptionalString } from './evaluation.js';
import { insertJob, retryFields } from './job-rows.js';
import type { InstanceRuntime } from './runtime.js';

export type AsyncPhase = 'before' | 'after';

/** What an async-continuation job remembers: where the token resumes, and the flows a gateway already chose. */
export interface AsyncContinuationConfig {
  readonly phase: AsyncPhase;
  readonly flowIds: readonly string[] | null;
}

/**
 * The token stops at a commit boundary: the command ends here and a job, due at once, carries the
 * token on in a new transaction (`camunda:asyncBefore` / `asyncAfter`). If that job fails, only it
 * is retried; what came before stays committed.
 */
export async function scheduleAsyncContinuation(
  runtime: InstanceRuntime,
  token: ExecutionEntity,
  activity: Activity,
  phase: AsyncPhase,
  flowIds: readonly string[] | null,
): Promise<void> {
  const { context } = runtime;
  const config: AsyncContinuationConfig = { phase, flowIds };
  const { retryTimeCycle } = activity.async;
  const retryCycle = retryTimeCycle
    ? asOptionalString(await runtime.evaluate(retryTimeCycle, token, `camunda:failedJobRetryTimeCycle of '${activity.id}'`))
    : null;
  const job = insertJob(context, {
    handlerType: 'async-continuation',
    dueDate: context.now(),
    handlerConfig: { ...config },
    processInstanceId: token.processInstanceId,
    executionId: token.id,
    processDefinitionId: runtime.process.definition.id,
    processDefinitionKey: runtime.process.definition.key,
    activityId: activity.id,
    exclusive: activity.async.exclusive,
    ...retryFields(retryCycle, activity.id),
    tenantId: token.tenantId,
  });
  runtime.recordCreated({ jobs: [job] });
}
