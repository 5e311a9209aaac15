import type { CommandContext } from '../command/index.js';
import type { StatusLight, TaskEntity } from '../persistence/index.js';

/** Where a task stands against its time limit at a moment: working time used (parked time excluded) and its light. */
export interface TaskClock {
  readonly workingMs: number;
  readonly limitMs: number | null;
  readonly light: StatusLight | null;
}

// Owned by the calendar work: computes on the tenant's working calendar.
export async function taskClock(_context: CommandContext, _task: TaskEntity, _at: Date): Promise<TaskClock | null> {
  return null;
}
