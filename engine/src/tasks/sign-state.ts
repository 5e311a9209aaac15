import { ConflictError } from '../errors/index.js';
import type { TaskEntity } from '../persistence/index.js';

/** 加签: the task waits for the signers added to it before (前加签) or after (后加签) its assignee. */
export function isWaitingForSigners(task: TaskEntity): boolean {
  return task.signState === 'waiting-before' || task.signState === 'waiting-after';
}

/** A task waiting for its signers is not completed until they are done or removed. */
export function refuseWhileWaitingForSigners(task: TaskEntity): void {
  if (isWaitingForSigners(task)) {
    throw new ConflictError(`Task '${task.id}' waits for the signers added to it (加签): remove them (减签) or wait for them first`);
  }
}
