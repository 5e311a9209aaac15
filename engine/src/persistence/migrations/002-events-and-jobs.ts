import type { QueryInterface } from 'sequelize';
import { addIndexes, bool, createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * What waits for time or for news from outside: jobs (timers, asynchronous continuations, their
 * retries) and event subscriptions (messages, signals); plus the links between a call activity
 * and the instance it called.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    job: {
      columns: {
        id: id(),
        rev: rev(),
        handler_type: { ...text(32), allowNull: false },
        handler_config: longText(),
        process_instance_id: ref(),
        execution_id: ref(),
        process_definition_id: ref(),
        process_definition_key: text(),
        activity_id: text(),
        due_date: time(),
        repeat_: text(),
        fired_count: int(false),
        lock_owner: text(),
        lock_expiration_time: time(),
        retries: int(false),
        retry_time_cycle: text(),
        exception_message: text(4000),
        exception_stacktrace: longText(),
        exclusive_: bool(),
        priority: int(false),
        suspended: bool(),
        tenant_id: ref(),
        create_time: time(false),
      },
      indexes: [['due_date'], ['lock_expiration_time'], ['process_instance_id'], ['execution_id'], ['process_definition_id']],
    },
    event_subscription: {
      columns: {
        id: id(),
        rev: rev(),
        event_type: { ...text(16), allowNull: false },
        event_name: text(),
        execution_id: ref(),
        process_instance_id: ref(),
        process_definition_id: ref(),
        activity_id: text(),
        tenant_id: ref(),
        create_time: time(false),
      },
      indexes: [['event_type', 'event_name'], ['execution_id'], ['process_instance_id'], ['process_definition_id']],
    },
  };
}

const LINKS: { table: string; column: string }[] = [
  { table: 'execution', column: 'super_execution_id' },
  { table: 'hi_process_instance', column: 'super_process_instance_id' },
  { table: 'hi_activity_instance', column: 'called_process_instance_id' },
];

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
  for (const { table, column } of LINKS) {
    await queryInterface.addColumn(table, column, ref());
    await addIndexes(queryInterface, table, [[column]]);
  }
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const { table, column } of LINKS) {
    await queryInterface.removeIndex(table, `ix_${table}_${column}`);
    await queryInterface.removeColumn(table, column);
  }
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
