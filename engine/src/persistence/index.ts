export { openDatabase, SQLITE_PRAGMAS, type Database } from './database.js';
export { sqliteRunner } from './drivers.js';
export { migrate } from './migrations/index.js';
export { DbSession, type Query } from './db-session.js';
export { scopedWhere, type Restriction, type RowScope } from './row-scope.js';
export { formatTimestamp, type Table } from './table.js';
export { placeholders, type Row, type SqlRunner, type SqlValue } from './sql.js';
export * from './entities.js';
