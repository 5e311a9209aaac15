import { Op, type QueryInterface } from 'sequelize';

interface Index {
  readonly table: string;
  readonly fields: readonly string[];
}

/**
 * Every index is written with each row its table gains or loses: on SQLite index upkeep was a
 * fifth to a third of a command's time (the case-handling benchmark ran 27–46 % faster with the
 * secondary indexes of the runtime and history tables gone; BENCHMARKS.md). These are the ones
 * no query needs. Each was checked against every query on its table (an audit of `engine/src`;
 * plugins and apps reach these tables only through the engine). What a REST list loses: sorting
 * external tasks by lock expiration, or filtering them by it within a topic, reads the topic's
 * tasks through migration 004's index and sorts them.
 */
const UNUSED: readonly Index[] = [
  // no query finds tasks by execution (the REST task query has no executionId): by instance or id
  { table: 'task', fields: ['execution_id'] },
  // the engine keeps process variables only (variables.ts writes taskId null): an index of NULLs
  { table: 'variable', fields: ['task_id'] },
  // no query looks a call activity up by the instance it called
  { table: 'hi_activity_instance', fields: ['called_process_instance_id'] },
  // variable updates are read by instance and time, never by variable
  { table: 'hi_variable_update', fields: ['variable_id'] },
  // fetch-and-lock and the REST list read (topic_name, priority DESC, create_time) of migration 004
  { table: 'external_task', fields: ['topic_name', 'lock_expiration_time'] },
];

/**
 * SQLite only (MariaDB has no partial indexes): columns empty on most rows, indexed only where
 * they hold a value. Every query using one of these asks its column for a value (`=`, `IN`),
 * which SQLite's planner knows implies `IS NOT NULL`, so each still uses its index; none relies
 * on them for `IS NULL` (`tasks/operation.ts` asks for `parent_task_id IS NULL` beside the case,
 * whose index serves it). Columns a list sorts by keep a full index (execution.business_key: the
 * REST process-instance list sorts by it).
 */
const PARTIAL: readonly (Index & { readonly present: string })[] = [
  // 加签 sub-tasks only
  { table: 'task', fields: ['parent_task_id'], present: 'parent_task_id' },
  // tasks created by completing another (withdraw finds them); not first tasks, nor those after an external task or a timer
  { table: 'task', fields: ['previous_task_id'], present: 'previous_task_id' },
  { table: 'hi_task', fields: ['previous_task_id'], present: 'previous_task_id' },
  // a candidate row offers its task to a group or to a user, never both
  { table: 'task_candidate', fields: ['group_id', 'task_id'], present: 'group_id' },
  { table: 'task_candidate', fields: ['user_id', 'task_id'], present: 'user_id' },
  { table: 'task_candidate', fields: ['tenant_id', 'group_id', 'task_id'], present: 'group_id' },
  { table: 'task_candidate', fields: ['tenant_id', 'user_id', 'task_id'], present: 'user_id' },
  // the roots of called instances only
  { table: 'execution', fields: ['super_execution_id'], present: 'super_execution_id' },
  { table: 'hi_process_instance', fields: ['super_process_instance_id'], present: 'super_process_instance_id' },
  // delegated tasks only
  { table: 'hi_task', fields: ['owner'], present: 'owner' },
];

const name = ({ table, fields }: Index) => `ix_${table}_${fields.join('_')}`;

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const index of UNUSED) await queryInterface.removeIndex(index.table, name(index));
  if (queryInterface.sequelize.getDialect() !== 'sqlite') return;
  for (const index of PARTIAL) {
    await queryInterface.removeIndex(index.table, name(index));
    await queryInterface.addIndex(index.table, [...index.fields], { name: name(index), where: { [index.present]: { [Op.ne]: null } } });
  }
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  if (queryInterface.sequelize.getDialect() === 'sqlite') {
    for (const index of PARTIAL) {
      await queryInterface.removeIndex(index.table, name(index));
      await queryInterface.addIndex(index.table, [...index.fields], { name: name(index) });
    }
  }
  for (const index of UNUSED) await queryInterface.addIndex(index.table, [...index.fields], { name: name(index) });
}
