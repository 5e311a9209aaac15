import type { QueryInterface } from 'sequelize';
import { createTables, id, ref, text, time, type TableSpec } from './columns.js';

/**
 * What each plugin has granted each role of a tenant (engine/src/plugins, `plugin_role_grant`):
 * one row per role code and permission the plugin declared when it was installed or upgraded, so
 * a later upgrade or reinstall grants only what the plugin newly declares and leaves a permission
 * an administrator removed removed — as `plugin_dict_item` does for dictionary items.
 */
const TABLES: Record<string, TableSpec> = {
  plugin_role_grant: {
    columns: {
      id: id(),
      tenant_id: { ...ref(), allowNull: false },
      plugin: { ...text(64), allowNull: false },
      /** the role's code in lower case (codes are unique per tenant regardless of case) */
      role_code: { ...text(64), allowNull: false },
      permission: { ...text(64), allowNull: false },
      granted: time(false),
    },
    unique: [['tenant_id', 'plugin', 'role_code', 'permission']],
  },
};

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, TABLES);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(TABLES).reverse()) await queryInterface.dropTable(table);
}
