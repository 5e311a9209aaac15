import type { QueryInterface } from 'sequelize';
import { blob, bool, createTables, id, int, longTextFor, ref, rev, text, time, type TableSpec } from './columns.js';

/**
 * Uploaded files (case photos, attachments) with their tenant's upload policy, and the platform's
 * dictionaries (case categories, the region and grid tree) that pickers and form validation read.
 */
function tables(dialect: string): Record<string, TableSpec> {
  const longText = longTextFor(dialect);
  return {
    stored_file: {
      columns: {
        id: id(),
        tenant_id: { ...ref(), allowNull: false },
        /** the name the uploader's device gave it, shown and offered when downloading */
        name: { ...text(), allowNull: false },
        /** recognised from the content, never taken from the name or the declared type */
        content_type: { ...text(128), allowNull: false },
        size: int(false),
        sha256: { ...text(64), allowNull: false },
        /** database: the content is in stored_file_chunk; disk: at `path` under the file directory */
        storage: { ...text(16), allowNull: false },
        /** relative to the file directory, for files on disk */
        path: text(512),
        /** at most 320 px, WebP; images only, null when the image could not be decoded */
        thumbnail: blob(),
        created: time(false),
        created_by: text(64),
      },
      indexes: [['tenant_id', 'created']],
    },
    /**
     * The content of a file stored in the database, in pieces of 1 MiB: a single value of 20 MB
     * would exceed MariaDB's default max_allowed_packet (16 MiB), and downloads send one piece at
     * a time instead of holding the whole file in memory.
     */
    stored_file_chunk: {
      columns: {
        id: id(),
        file_id: { ...ref(), allowNull: false },
        tenant_id: { ...ref(), allowNull: false },
        seq: int(false),
        data: { ...blob(), allowNull: false },
      },
      unique: [['file_id', 'seq']],
    },
    tenant_file_policy: {
      columns: {
        id: id(),
        rev: rev(),
        tenant_id: { ...ref(), allowNull: false },
        /** bytes */
        max_size: int(false),
        /** JSON array of MIME types */
        allowed_types: { ...text(4000), allowNull: false },
        updated: time(false),
        updated_by: text(64),
      },
      unique: [['tenant_id']],
    },
    dictionary: {
      columns: {
        id: id(),
        rev: rev(),
        /** null: shared by every tenant, kept by the platform administrator */
        tenant_id: ref(),
        code: { ...text(64), allowNull: false },
        name: { ...text(), allowNull: false },
        description: text(1000),
        /** items may have parents (a tree) */
        hierarchical: bool(),
      },
      unique: [['tenant_id', 'code']],
    },
    dictionary_item: {
      columns: {
        id: id(),
        rev: rev(),
        dictionary_id: { ...ref(), allowNull: false },
        /** the dictionary's tenant, so the same scope applies to its items */
        tenant_id: ref(),
        code: { ...text(64), allowNull: false },
        label: { ...text(), allowNull: false },
        label_en: text(),
        parent_id: ref(),
        sort_order: int(false),
        enabled: { ...bool(), defaultValue: true },
        /** JSON object: what the dictionary's users attach (a category's kind, time limits, a region's level) */
        extra: longText(),
      },
      indexes: [['dictionary_id', 'parent_id']],
      unique: [['dictionary_id', 'code']],
    },
  };
}

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, tables(queryInterface.sequelize.getDialect()));
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  for (const table of Object.keys(tables(queryInterface.sequelize.getDialect())).reverse()) await queryInterface.dropTable(table);
}
