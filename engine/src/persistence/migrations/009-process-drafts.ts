import type { QueryInterface } from 'sequelize';
import { createTables, id, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/** Process drafts: BPMN XML saved from the designer before it is deployed, one per process id and tenant. */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    process_draft: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        /** the process id in the XML */
        key_: { ...text(), allowNull: false },
        name: text(),
        /** the BPMN XML, unfinished: it parses, lint problems are allowed */
        content: { ...longText(), allowNull: false },
        updated: time(false),
        updated_by: text(64),
      },
      unique: [['tenant_id', 'key_']],
    },
  };
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
