/** Refusals that follow from a task's state rather than from who asks: its case parked (挂账), signers added to it (加签). */
import type { CommandContext } from '../command/index.js';
import { ConflictError } from '../errors/index.js';
import { EXECUTION, type TaskEntity } from '../persistence/index.js';

/** 加签: the task waits for the signers added to it before (前加签) or after (后加签) its assignee. */
export function isWaitingForSigners(task: TaskEntity): boolean {
  return task.signState === 'waiting-before' || task.signState === 'waiting-after';
}

/** Nothing is done to the tasks of a parked case (挂账) until it is resumed. */
export function refuseWhileParked(task: TaskEntity): void {
  if (task.parkedAt) throw new ConflictError(`Task '${task.id}' belongs to a parked case (挂账 since ${task.parkedAt.toISOString()}): resume the case first`);
}

/** A task waiting for its signers is not completed until they are done or removed. */
export function refuseWhileWaitingForSigners(task: TaskEntity): void {
  if (isWaitingForSigners(task)) {
    throw new ConflictError(`Task '${task.id}' waits for the signers added to it (加签): remove them (减签) or wait for them first`);
  }
}

/** Whether the case is parked (挂账) now: a flag on its root execution, which a command working on the case has loaded already. */
export async function caseIsParked(context: CommandContext, processInstanceId: string): Promise<boolean> {
  return (await context.session.findById(EXECUTION, processInstanceId))?.parked ?? false;
}
