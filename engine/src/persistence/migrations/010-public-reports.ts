import type { QueryInterface } from 'sequelize';
import { bool, createTables, id, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * The public reporting portal: each tenant's channel (which process a citizen's report starts),
 * the reports with their tracking codes and ratings, the events the portal's rate limits count,
 * and one lock row per counted bucket.
 */
const TABLES: Record<string, TableSpec> = {
  public_channel: {
    columns: {
      id: id(),
      rev: rev(),
      tenant_id: { ...ref(), allowNull: false },
      /** the key of the process a report starts: the tenant's latest version, else the shared one */
      process_key: { ...text(), allowNull: false },
      /** the tree of categories a citizen picks a leaf of */
      category_dictionary: { ...text(64), allowNull: false },
      enabled: bool(),
      updated: time(false),
      updated_by: text(64),
    },
    unique: [['tenant_id']],
  },
  public_report: {
    columns: {
      id: id(),
      rev: rev(),
      tenant_id: { ...ref(), allowNull: false },
      /** what the citizen follows the report by: 12 characters of an alphabet without 0/O/1/I */
      tracking_code: { ...text(16), allowNull: false },
      process_instance_id: { ...ref(), allowNull: false },
      category: { ...text(64), allowNull: false },
      category_label: text(),
      /** the citizen's own words, as the status page shows them back (the case's variables may be edited by staff) */
      description: { ...text(1000), allowNull: false },
      /** the submitting client's address (koa's ctx.ip), counted by the rate limit */
      client_address: text(64),
      reporter_phone: text(16),
      submitted_at: time(false),
      /** satisfied | basically-satisfied | dissatisfied; null until rated */
      rating_score: text(32),
      rating_comment: text(500),
      rated_at: time(),
    },
    unique: [['tracking_code']],
    indexes: [['client_address', 'submitted_at'], ['reporter_phone', 'submitted_at'], ['tenant_id', 'rated_at'], ['process_instance_id']],
  },
  /** One counted request (a status lookup, a rating, a report attempt) per row; rows older than the longest window are pruned. */
  public_rate_event: {
    columns: {
      id: id(),
      /** what is counted: `lookup:<client>`, `report-attempt:<client>` (an IPv4 address or an IPv6 network) */
      bucket: { ...text(128), allowNull: false },
      time: time(false),
    },
    indexes: [['bucket', 'time'], ['time']],
  },
  /**
   * One row per bucket a limit counts (`lookup:…`, `report-attempt:…`, `report:…`, `phone:<hash>`):
   * on MariaDB a command upserts it first, which locks it until the command ends, so the
   * count-then-insert of one bucket runs one command at a time across connections and engine
   * processes. Rows untouched for a day are pruned.
   */
  public_rate_bucket: {
    columns: {
      bucket: { ...text(128), primaryKey: true, allowNull: false },
      rev: rev(),
      updated: time(false),
    },
    indexes: [['updated']],
  },
};

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, TABLES);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(TABLES).reverse()) await queryInterface.dropTable(table);
}
