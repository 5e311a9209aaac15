import type { Command } from '../../command/index.js';
import { NotFoundError } from '../../errors/index.js';
import { readAs } from '../../identity/roles/index.js';
import { HI_PROCESS_INSTANCE, HI_TASK, type DbSession } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import type { ApiCall, JsonSchema } from './routes.js';

type AnyCall = ApiCall<unknown, unknown>;

/**
 * How the task and instance routes act for their caller: a case their data scope hides answers
 * 404 before any command touches it (commands run with the tenant scope only, as the engine must
 * read every row of a case), then one audited command runs as the caller.
 */
export interface CaseCalls {
  /** `work` on a session scoped to what the caller may see */
  read<T>(call: AnyCall, work: (session: DbSession) => Promise<T>): Promise<T>;
  /** a command on a task the caller can see (open, or done: a done task answers 409 from the command) */
  onTask<T>(call: AnyCall, taskId: string, command: Command<T>): Promise<T>;
  /** a command on a process instance the caller can see, or on several, each of which the caller must see (the first hidden one answers 404) */
  onInstance<T>(call: AnyCall, processInstanceIds: string | readonly string[], command: Command<T>): Promise<T>;
  /** a command that names no case (a request's decision looks its case up itself) */
  run<T>(call: AnyCall, command: Command<T>): Promise<T>;
}

export function caseCalls(engine: ProcessEngine): CaseCalls {
  const run = <T>(call: AnyCall, command: Command<T>) => engine.commandExecutor.execute(command, { actor: call.actor });
  const requireVisible = async (call: AnyCall, table: typeof HI_TASK | typeof HI_PROCESS_INSTANCE, id: string, noun: string) => {
    const seen = await readAs(engine.database, call.principal, (session) => session.count(table, 'id = $1', [id]));
    if (seen === 0) throw new NotFoundError(`${noun} '${id}' does not exist`);
  };
  return {
    read: (call, work) => readAs(engine.database, call.principal, work),
    async onTask(call, taskId, command) {
      await requireVisible(call, HI_TASK, taskId, 'Task');
      return run(call, command);
    },
    async onInstance(call, processInstanceIds, command) {
      for (const id of typeof processInstanceIds === 'string' ? [processInstanceIds] : processInstanceIds) {
        await requireVisible(call, HI_PROCESS_INSTANCE, id, 'Process instance');
      }
      return run(call, command);
    },
    run,
  };
}

/** The comment and attachments every operation's body may carry (tasks/timeline.ts enforces the same limits). */
export const OPERATION_INPUT_PROPERTIES: Record<string, JsonSchema> = {
  comment: { type: 'string', maxLength: 2000, nullable: true, description: 'shown in the case timeline' },
  attachments: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 64 }, description: 'ids of files uploaded through /api/files' },
};

/** A body with only the comment and attachments. */
export const OPERATION_INPUT: JsonSchema = { type: 'object', additionalProperties: false, properties: OPERATION_INPUT_PROPERTIES };
