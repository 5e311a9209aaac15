import type { QueryInterface } from 'sequelize';
import { createTables, id, int, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Public reports from external channels and merged duplicates (issue 10, 公众服务):
 * - `public_channel_client`: an API client of a tenant's public channel (a WeChat official
 *   account, the citizen app) with its channel code, the API key it calls with and its own limits;
 *   kept when revoked, so the reports it sent still name it;
 * - `public_report.channel`: the channel a report came by (`public` for the /public portal, else
 *   the client's code), so statistics count by channel;
 * - `public_report.merged_into` / `merged_at`: the report (of the same tenant) a duplicate was
 *   merged into by the intake clerk, and when.
 */
const TABLES: Record<string, TableSpec> = {
  public_channel_client: {
    columns: {
      id: id(),
      rev: rev(),
      tenant_id: { ...ref(), allowNull: false },
      /** the channel code the reports carry (`channel` variable), a `cc-case-source` item */
      code: { ...text(32), allowNull: false },
      name: { ...text(100), allowNull: false },
      /** the API key the client calls with (`api_token.id`); the key row goes when revoked */
      api_token_id: { ...ref(), allowNull: false },
      reports_per_hour: int(false),
      lookups_per_minute: int(false),
      created: time(false),
      created_by: text(64),
      /** null while the client may call */
      revoked: time(),
    },
    unique: [['tenant_id', 'code']],
    indexes: [['api_token_id']],
  },
};

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, TABLES);
  await queryInterface.addColumn('public_report', 'channel', text(32));
  await queryInterface.addColumn('public_report', 'merged_into', ref());
  await queryInterface.addColumn('public_report', 'merged_at', time());
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.removeColumn('public_report', 'merged_at');
  await queryInterface.removeColumn('public_report', 'merged_into');
  await queryInterface.removeColumn('public_report', 'channel');
  for (const table of Object.keys(TABLES).reverse()) await queryInterface.dropTable(table);
}
