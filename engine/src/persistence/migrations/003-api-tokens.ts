import type { QueryInterface } from 'sequelize';
import { createTables, id, ref, text, time, type TableSpec } from './columns.js';

/**
 * API tokens for workers and scripts (`Authorization: Bearer <token>` on `/engine-rest`). Only the
 * SHA-256 of a token is stored: tokens are 32 random bytes, so a plain hash cannot be guessed back.
 */
const TABLES: Record<string, TableSpec> = {
  api_token: {
    columns: {
      id: id(),
      name: { ...text(), allowNull: false },
      user_id: { ...ref(), allowNull: false },
      token_hash: { ...text(64), allowNull: false },
      created: time(false),
      expires: time(),
      last_used: time(),
    },
    indexes: [['user_id']],
    unique: [['token_hash']],
  },
};

export async function up({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await createTables(queryInterface, TABLES);
}

export async function down({ context: queryInterface }: { context: QueryInterface }): Promise<void> {
  await queryInterface.dropTable('api_token');
}
