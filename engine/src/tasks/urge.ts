import type { Command, CommandContext } from '../command/index.js';
import { ForbiddenError, NotFoundError, TooManyRequestsError } from '../errors/index.js';
import { CASE_ACTION, formatTimestamp, HI_PROCESS_INSTANCE, type TaskEntity } from '../persistence/index.js';
import { notify, taskHandlers } from '../notifications/index.js';
import { tasksOffering, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** How soon the same user may urge the same case again. */
export const URGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * 催办: reminds the current handlers of a case's open tasks that offer `urge`. One user may urge
 * a case once per interval; every urge bumps the urged tasks' counters (statistics read them),
 * whose revision check also turns two concurrent urges into one urge and a 409.
 */
export class UrgeCaseCmd implements Command<{ readonly urgedTasks: number; readonly notifiedUsers: number }> {
  readonly name = 'UrgeCase';

  constructor(
    private readonly processInstanceId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<{ readonly urgedTasks: number; readonly notifiedUsers: number }> {
    const instance = await context.session.findById(HI_PROCESS_INSTANCE, this.processInstanceId);
    if (!instance) throw new NotFoundError(`Process instance '${this.processInstanceId}' does not exist`);
    await refuseRepeatedUrge(context, this.processInstanceId);
    const urgeable = await urgeableTasks(context, this.processInstanceId);
    const handlers = new Set<string>();
    for (const task of urgeable) {
      task.urgeCount += 1;
      for (const userId of await taskHandlers(context, task)) handlers.add(userId);
    }
    await recordAction(context, {
      processInstanceId: instance.id, tenantId: instance.tenantId, operation: 'urge', input: this.input,
      target: { taskIds: urgeable.map((task) => task.id), userIds: [...handlers] },
    });
    const names = [...new Set(urgeable.map((task) => task.name ?? task.taskDefinitionKey))].join('、');
    await notify(context, {
      tenantId: instance.tenantId, userIds: [...handlers], kind: 'urge', title: `催办：${names}`,
      body: this.input.comment ?? null, processInstanceId: instance.id,
    });
    return { urgedTasks: urgeable.length, notifiedUsers: handlers.size };
  }
}

async function refuseRepeatedUrge(context: CommandContext, processInstanceId: string): Promise<void> {
  const since = new Date(context.now().getTime() - URGE_INTERVAL_MS);
  const [last] = await context.session.select(
    CASE_ACTION, 'process_instance_id = $1 AND operation = $2 AND user_id = $3 AND time > $4', [processInstanceId, 'urge', context.userId, formatTimestamp(since)],
    'ORDER BY time DESC LIMIT 1',
  );
  if (!last) return;
  const retryAfter = Math.ceil((last.time.getTime() + URGE_INTERVAL_MS - context.now().getTime()) / 1000);
  throw new TooManyRequestsError(`This case was urged by you at ${last.time.toISOString()}; urge it again in ${retryAfter} s`, retryAfter);
}

/** The open tasks of the case whose activity offers 催办. */
async function urgeableTasks(context: CommandContext, processInstanceId: string): Promise<TaskEntity[]> {
  const urgeable = await tasksOffering(context, processInstanceId, 'urge');
  if (urgeable.length === 0) throw new ForbiddenError(`No open task of case '${processInstanceId}' may be urged (催办): it has none, or none offers it`);
  return urgeable;
}
