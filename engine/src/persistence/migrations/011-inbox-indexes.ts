import type { QueryInterface } from 'sequelize';

/** Each index replaced: the new one starts with the old one's columns, so every lookup the old one served it serves too. */
const REPLACED: readonly { table: string; old: string[]; fields: string[] }[] = [
  // 待办: assignee = me in my tenants, newest first — read in index order, one tenant at a time
  { table: 'task', old: ['assignee', 'create_time'], fields: ['assignee', 'tenant_id', 'create_time'] },
  // 待认领: is this task offered to me? answered from the index alone, per task read in 待认领 order
  { table: 'task_candidate', old: ['task_id'], fields: ['task_id', 'group_id', 'user_id'] },
  // the tasks offered to a group or a user (the data scope's "offered to me"), without reading the rows
  { table: 'task_candidate', old: ['group_id'], fields: ['group_id', 'task_id'] },
  { table: 'task_candidate', old: ['user_id'], fields: ['user_id', 'task_id'] },
  // 已办: completed by me in my tenants, latest first; its count from the index alone
  { table: 'hi_task', old: ['assignee', 'end_time'], fields: ['assignee', 'delete_reason', 'tenant_id', 'end_time'] },
];
/** 我发起的: started by me, newest first (the data scope's "started by me" too). */
const ADDED: readonly { table: string; fields: string[] }[] = [{ table: 'hi_process_instance', fields: ['start_user_id', 'start_time'] }];

const name = (table: string, fields: readonly string[]) => `ix_${table}_${fields.join('_')}`;

/**
 * Indexes for the inbox tabs (tasks/inbox.ts) at 100,000 open tasks and a million history rows:
 * each tab's first page is read in index order and stops after a page, and the badges' counts
 * read indexes rather than rows. Measured in bench/inbox.bench.ts (BENCHMARKS.md, "Inbox").
 */
export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const { table, old, fields } of REPLACED) {
    await queryInterface.addIndex(table, fields, { name: name(table, fields) });
    await queryInterface.removeIndex(table, name(table, old));
  }
  for (const { table, fields } of ADDED) await queryInterface.addIndex(table, fields, { name: name(table, fields) });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const { table, fields } of ADDED) await queryInterface.removeIndex(table, name(table, fields));
  for (const { table, old, fields } of [...REPLACED].reverse()) {
    await queryInterface.addIndex(table, old, { name: name(table, old) });
    await queryInterface.removeIndex(table, name(table, fields));
  }
}
