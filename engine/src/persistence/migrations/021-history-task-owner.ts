import type { QueryInterface } from 'sequelize';

/**
 * `hi_task (owner)`: the data scope's "worked on by me" (`identity/access.ts`) is
 * `hi_task WHERE assignee = ? OR owner = ?`; with `assignee` indexed but not `owner`, SQLite
 * scanned every history task (300,000 in bench/inbox.bench.ts) for each read of a
 * department- or self-scoped caller's cases — 39 ms for the 20 cases of one inbox page, 7 ms with
 * the index, which lets it read the two indexes and join them (BENCHMARKS.md, "Inbox").
 */
const NAME = 'ix_hi_task_owner';

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addIndex('hi_task', ['owner'], { name: NAME });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.removeIndex('hi_task', NAME);
}
