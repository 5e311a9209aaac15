import type { QueryInterface } from 'sequelize';
import { ref } from './columns.js';

/**
 * The tenant of a candidate row's task, on the row (written with it; a task never changes tenant):
 * the inbox's 待认领 and the data scope's "offered to me" start from the caller's own candidate
 * rows in their tenants, read from an index alone, instead of testing every unassigned task of the
 * tenant or collecting the caller's groups' candidates in every tenant (role codes repeat across
 * tenants). Measured in bench/inbox.bench.ts (BENCHMARKS.md, "Inbox").
 */
const INDEXES: readonly string[][] = [
  ['tenant_id', 'group_id', 'task_id'],
  ['tenant_id', 'user_id', 'task_id'],
];

const name = (fields: readonly string[]) => `ix_task_candidate_${fields.join('_')}`;

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addColumn('task_candidate', 'tenant_id', ref());
  await queryInterface.sequelize.query('UPDATE task_candidate SET tenant_id = (SELECT t.tenant_id FROM task t WHERE t.id = task_candidate.task_id)');
  for (const fields of INDEXES) await queryInterface.addIndex('task_candidate', [...fields], { name: name(fields) });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const fields of INDEXES) await queryInterface.removeIndex('task_candidate', name(fields));
  await queryInterface.removeColumn('task_candidate', 'tenant_id');
}
