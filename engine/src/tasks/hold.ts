import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { CASE_HOLD, EXECUTION, HI_PROCESS_INSTANCE } from '../persistence/index.js';
import { parkTaskClocks, resumeTaskClocks } from './deadlines.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/**
 * 挂账: a case that cannot be handled now is parked from one of its tasks; the clocks of all its
 * open tasks stand still and nothing but 恢复 may be done to them until it is resumed. One hold
 * per case (a unique row), so two concurrent parks leave one hold and a 409.
 */
export class ParkCaseCmd implements Command<void> {
  readonly name = 'ParkCase';

  constructor(
    private readonly taskId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task } = await openTaskFor(context, this.taskId, 'park', 'complete');
    const [held] = await context.session.select(CASE_HOLD, 'process_instance_id = $1', [task.processInstanceId]);
    if (held) throw new ConflictError(`Case '${task.processInstanceId}' is already parked (挂账) since ${held.parkedAt.toISOString()}`);
    await markParked(context, task.processInstanceId, true);
    context.session.insert(CASE_HOLD, {
      id: context.newId(), rev: 1, tenantId: task.tenantId, processInstanceId: task.processInstanceId, parkedAt: context.now(),
      parkedBy: context.userId, reason: this.input.comment?.trim() || null,
    });
    await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'park', input: this.input });
    await parkTaskClocks(context, task.processInstanceId);
  }
}

/** 恢复: who parked the case, or a supervisor (`case:supervise`), starts its clocks again. */
export class ResumeCaseCmd implements Command<void> {
  readonly name = 'ResumeCase';

  constructor(
    private readonly processInstanceId: string,
    private readonly supervisor: boolean,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const instance = await context.session.findById(HI_PROCESS_INSTANCE, this.processInstanceId);
    if (!instance) throw new NotFoundError(`Process instance '${this.processInstanceId}' does not exist`);
    const [hold] = await context.session.select(CASE_HOLD, 'process_instance_id = $1', [instance.id]);
    if (!hold) throw new ConflictError(`Case '${instance.id}' is not parked (挂账)`);
    if (!this.supervisor && hold.parkedBy !== context.userId) {
      throw new ForbiddenError(`Case '${instance.id}' was parked by ${hold.parkedBy}; only they or a supervisor (case:supervise) may resume it`);
    }
    context.session.delete(CASE_HOLD, hold);
    await markParked(context, instance.id, false);
    await resumeTaskClocks(context, instance.id);
    await recordAction(context, {
      processInstanceId: instance.id, tenantId: instance.tenantId, operation: 'resume', input: this.input,
      target: { parkedAt: hold.parkedAt.toISOString(), parkedBy: hold.parkedBy },
    });
  }
}

/** The flag on the case's root execution that tasks created meanwhile read (tasks/task-state.ts). */
async function markParked(context: CommandContext, processInstanceId: string, parked: boolean): Promise<void> {
  const root = await context.session.findById(EXECUTION, processInstanceId);
  if (root) root.parked = parked;
}
