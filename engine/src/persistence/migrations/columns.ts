import { DataTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';

/** Column shapes shared by the migrations, so every table spells an id or a timestamp the same way. */
export type Columns = Record<string, ModelAttributeColumnOptions>;

export interface TableSpec {
  readonly columns: Columns;
  readonly indexes?: string[][];
  readonly unique?: string[][];
}

export const id = (): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(64), primaryKey: true, allowNull: false });
export const ref = (): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(64), allowNull: true });
export const text = (length = 255): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(length), allowNull: true });
export const blob = (): ModelAttributeColumnOptions => ({ type: DataTypes.BLOB('long'), allowNull: true });
export const int = (allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull });
export const bigint = (): ModelAttributeColumnOptions => ({ type: DataTypes.BIGINT, allowNull: true });
export const double = (): ModelAttributeColumnOptions => ({ type: DataTypes.DOUBLE, allowNull: true });
export const bool = (): ModelAttributeColumnOptions => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
export const time = (allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.DATE(3), allowNull });
export const rev = (): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 });

/** MariaDB needs LONGTEXT for texts over 64 KB; SQLite's TEXT has no sizes. */
export function longTextFor(dialect: string): () => ModelAttributeColumnOptions {
  return () => ({ type: dialect === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'), allowNull: true });
}

/** Creates the tables with their indexes, named `ix_<table>_<columns>` and `ux_...` when unique. */
export async function createTables(queryInterface: QueryInterface, tables: Record<string, TableSpec>): Promise<void> {
  for (const [table, { columns, indexes = [], unique = [] }] of Object.entries(tables)) {
    await queryInterface.createTable(table, columns);
    await addIndexes(queryInterface, table, indexes);
    for (const fields of unique) {
      await queryInterface.addIndex(table, fields, { name: `ux_${table}_${fields.join('_')}`, unique: true });
    }
  }
}

export async function addIndexes(queryInterface: QueryInterface, table: string, indexes: string[][]): Promise<void> {
  for (const fields of indexes) await queryInterface.addIndex(table, fields, { name: `ix_${table}_${fields.join('_')}` });
}
