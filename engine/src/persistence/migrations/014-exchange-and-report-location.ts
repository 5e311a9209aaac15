import type { QueryInterface } from 'sequelize';
import { createTables, double, id, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Two things of the command-and-coordination loop (issue 10):
 * - `exchange_assignment`: one row per task an exchange partner (a national or regional
 *   supervision platform) assigned, unique per tenant and the partner's id, so a repeated
 *   assignment finds the case it started instead of starting a second one (exchange/);
 * - `public_report.latitude` / `longitude`: a report's coordinates, indexed after tenant and
 *   category, so the duplicate check (same category within 50 m within a day) reads a bounding
 *   box from the index (public-reports/duplicates.ts).
 */
const TABLES: Record<string, TableSpec> = {
  exchange_assignment: {
    columns: {
      id: id(),
      rev: rev(),
      tenant_id: { ...ref(), allowNull: false },
      /** the partner's own id of the task: the case's business key */
      external_id: { ...text(64), allowNull: false },
      process_instance_id: { ...ref(), allowNull: false },
      /** the user the partner's API key acts as */
      received_by: ref(),
      received: time(false),
    },
    unique: [['tenant_id', 'external_id']],
    indexes: [['process_instance_id']],
  },
};

const LOCATION_INDEX = ['tenant_id', 'category', 'latitude', 'longitude'];
const LOCATION_INDEX_NAME = `ix_public_report_${LOCATION_INDEX.join('_')}`;

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, TABLES);
  await queryInterface.addColumn('public_report', 'latitude', double());
  await queryInterface.addColumn('public_report', 'longitude', double());
  await queryInterface.addIndex('public_report', LOCATION_INDEX, { name: LOCATION_INDEX_NAME });
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.removeIndex('public_report', LOCATION_INDEX_NAME);
  await queryInterface.removeColumn('public_report', 'longitude');
  await queryInterface.removeColumn('public_report', 'latitude');
  for (const table of Object.keys(TABLES).reverse()) await queryInterface.dropTable(table);
}
