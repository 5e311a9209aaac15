import type { QueryInterface } from 'sequelize';
import { createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Forms: every version of a form-js form per tenant (from a deployment's `.form` resources or
 * saved through `/api/forms`), the version each start event and user task of a process
 * definition was pinned to when it was deployed, and the counters behind `yw-serial` fields.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    form_definition: {
      columns: {
        id: id(),
        rev: rev(),
        /** null: a shared form, readable by every tenant (saved or deployed by the platform administrator) */
        tenant_id: ref(),
        /** the form-js `id` */
        key_: { ...text(), allowNull: false },
        version: int(false),
        name: text(),
        /** the form-js JSON as deployed or saved */
        content: { ...longText(), allowNull: false },
        /** SHA-256 of the content: an unchanged form makes no new version */
        content_hash: { ...text(64), allowNull: false },
        /** the deployment that brought this version; null when it was saved through /api/forms */
        deployment_id: ref(),
        created: time(false),
        created_by: text(),
      },
      indexes: [['deployment_id']],
      unique: [['tenant_id', 'key_', 'version']],
    },
    process_form: {
      columns: {
        id: id(),
        process_definition_id: { ...ref(), allowNull: false },
        /** the start event or user task whose form this is */
        activity_id: { ...text(), allowNull: false },
        form_definition_id: { ...ref(), allowNull: false },
      },
      indexes: [['form_definition_id']],
      unique: [['process_definition_id', 'activity_id']],
    },
    serial_sequence: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: ref(),
        /** the field's rule as written, e.g. `AJ{yyyyMMdd}{seq:4}` */
        rule: { ...text(), allowNull: false },
        /** yyyyMMdd in the engine's time zone: numbering starts again every day */
        day: { ...text(8), allowNull: false },
        /** the last number handed out */
        value: int(false),
      },
      unique: [['tenant_id', 'rule', 'day']],
    },
  };
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
