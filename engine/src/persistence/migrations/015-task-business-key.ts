import type { QueryInterface } from 'sequelize';
import { text } from './columns.js';

/**
 * The case's business key (案件编号) on each open task, written when the task is created (a
 * business key never changes after its case starts): the inbox's 待办 and 待认领 searches test the
 * case number in the task row they already read, instead of first scanning every case's business
 * key for the text (150,000 cases: 30-40 ms per search before any task was read). Measured in
 * bench/inbox.bench.ts (BENCHMARKS.md, "Inbox").
 */
export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addColumn('task', 'business_key', text());
  await queryInterface.sequelize.query(
    'UPDATE task SET business_key = (SELECT h.business_key FROM hi_process_instance h WHERE h.id = task.process_instance_id)',
  );
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.removeColumn('task', 'business_key');
}
