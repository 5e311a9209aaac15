import type { QueryInterface } from 'sequelize';
import { bool, createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Plugins per tenant (engine/src/plugins): the installation and its version, the menu entries the
 * apps read, the statistics definitions, what each plugin shipped of a dictionary (so an upgrade
 * can tell an administrator's edit), and the plugins' own data steps that have run.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    plugin_installation: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: { ...ref(), allowNull: false },
        plugin: { ...text(64), allowNull: false },
        version: { ...text(64), allowNull: false },
        /** installed | disabled */
        state: { ...text(16), allowNull: false },
        installed: time(false),
        installed_by: text(64),
        updated: time(false),
        updated_by: text(64),
      },
      unique: [['tenant_id', 'plugin']],
    },
    plugin_menu: {
      columns: {
        id: id(),
        tenant_id: { ...ref(), allowNull: false },
        plugin: { ...text(64), allowNull: false },
        /** runtime | designer */
        app: { ...text(16), allowNull: false },
        menu_key: { ...text(64), allowNull: false },
        title_zh: { ...text(), allowNull: false },
        title_en: { ...text(), allowNull: false },
        path: { ...text(), allowNull: false },
        permission: text(64),
        icon: text(64),
        sort_order: int(false),
        enabled: bool(),
      },
      unique: [['tenant_id', 'plugin', 'menu_key']],
      indexes: [['tenant_id', 'app']],
    },
    plugin_statistic: {
      columns: {
        id: id(),
        tenant_id: { ...ref(), allowNull: false },
        plugin: { ...text(64), allowNull: false },
        path: { ...text(), allowNull: false },
        version: { ...text(64), allowNull: false },
        definition: longText(),
        updated: time(false),
      },
      unique: [['tenant_id', 'plugin', 'path']],
    },
    plugin_dict_item: {
      columns: {
        id: id(),
        tenant_id: { ...ref(), allowNull: false },
        plugin: { ...text(64), allowNull: false },
        dictionary_code: { ...text(64), allowNull: false },
        item_code: { ...text(64), allowNull: false },
        label: { ...text(), allowNull: false },
        label_en: text(),
        extra: longText(),
        shipped: bool(),
      },
      unique: [['tenant_id', 'plugin', 'dictionary_code', 'item_code']],
    },
    plugin_migration: {
      columns: {
        id: id(),
        tenant_id: { ...ref(), allowNull: false },
        plugin: { ...text(64), allowNull: false },
        migration_id: { ...text(100), allowNull: false },
        version: { ...text(64), allowNull: false },
        ran: time(false),
        executed: bool(),
      },
      unique: [['tenant_id', 'plugin', 'migration_id']],
    },
  };
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
