import type { QueryInterface } from 'sequelize';
import { text } from './columns.js';

/**
 * What the inbox's 待办 and 待认领 searches test, in the index the tabs are read from: the task's
 * case number and name in one column (`taskSearchText` writes it with the task and when a task
 * listener renames it), and the index `(assignee, tenant_id, create_time, id, search_text)` in
 * place of `(assignee, tenant_id, create_time)`. A search reads the page's ids from that index
 * alone, testing entries in the tab's order, and reads the rows of the page only: the clerk
 * offered 6,000 of a county's 16,000 unassigned tasks, searching for a text none of them holds,
 * read all 16,000 rows before (95-149 ms at p95 on MariaDB under load; 6 ms after). Measured in
 * bench/inbox.bench.ts (BENCHMARKS.md, "Inbox").
 *
 * A written column, not one the database generates: with a generated column, MariaDB planned
 * the search in the platform's own connections without reading the index alone (27 ms for a
 * statement that took 6 ms on a fresh connection; the cause was not found). The length keeps the index within InnoDB's 3,072-byte
 * key (assignee 255, tenant and id 64 characters of utf8mb4).
 */
const LENGTH = 380;
const OLD_INDEX = { fields: ['assignee', 'tenant_id', 'create_time'], name: 'ix_task_assignee_tenant_id_create_time' };
const NEW_INDEX = { fields: ['assignee', 'tenant_id', 'create_time', 'id', 'search_text'], name: 'ix_task_assignee_tenant_id_create_time_id_search_text' };

/** The backfill, as `taskSearchText` spells it in code: case number, a unit separator, name, cut to the column. */
function backfill(dialect: string): string {
  return dialect === 'sqlite'
    ? `UPDATE task SET search_text = substr(coalesce(business_key, '') || char(31) || coalesce(name, ''), 1, ${LENGTH})`
    : `UPDATE task SET search_text = LEFT(CONCAT(IFNULL(business_key, ''), CHAR(31 USING utf8mb4), IFNULL(name, '')), ${LENGTH})`;
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addColumn('task', 'search_text', { ...text(LENGTH), allowNull: false, defaultValue: '' });
  await queryInterface.sequelize.query(backfill(queryInterface.sequelize.getDialect()));
  await queryInterface.addIndex('task', NEW_INDEX.fields, { name: NEW_INDEX.name });
  await queryInterface.removeIndex('task', OLD_INDEX.name);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.addIndex('task', OLD_INDEX.fields, { name: OLD_INDEX.name });
  await queryInterface.removeIndex('task', NEW_INDEX.name);
  // not removeColumn: on SQLite it rebuilds the table without any of its indexes
  await queryInterface.sequelize.query('ALTER TABLE task DROP COLUMN search_text');
}
