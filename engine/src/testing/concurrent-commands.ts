import type { Actor, Command, CommandContext } from '../command/index.js';
import type { ProcessEngine } from '../services/index.js';

/** A command and whom it runs for. */
export interface ConcurrentRun {
  readonly command: Command<unknown>;
  readonly actor: Actor;
}

/**
 * Runs commands at the same time, as requests arriving together do, and answers how each ended.
 * On MariaDB each command is held back, once it has read and decided, until all have: every one
 * reads before any of them commits — the race a revision check must catch, made certain instead of
 * left to timing. SQLite runs one command at a time, so there they simply queue (holding one back
 * would keep the others from ever starting).
 */
export function runTogether(engine: ProcessEngine, runs: readonly ConcurrentRun[]): Promise<PromiseSettledResult<unknown>[]> {
  const commands = engine.database.dialect === 'mariadb' ? heldUntilAllHaveRead(runs.map((run) => run.command)) : runs.map((run) => run.command);
  return Promise.allSettled(commands.map((command, i) => engine.commandExecutor.execute(command, { actor: runs[i]?.actor ?? null })));
}

function heldUntilAllHaveRead(commands: readonly Command<unknown>[]): Command<unknown>[] {
  let arrived = 0;
  let release = () => {};
  const allHaveRead = new Promise<void>((resolve) => (release = resolve));
  return commands.map((command) => ({
    name: command.name,
    async execute(context: CommandContext) {
      try {
        return await command.execute(context);
      } finally {
        arrived += 1;
        if (arrived === commands.length) release();
        await allHaveRead;
      }
    },
  }));
}
