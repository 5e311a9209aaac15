import { SequelizeStorage, Umzug } from 'umzug';
import type { Database } from '../database.js';
import * as engineCore from './001-engine-core.js';
import * as eventsAndJobs from './002-events-and-jobs.js';
import * as apiTokens from './003-api-tokens.js';
import * as externalTaskFetchOrder from './004-external-task-fetch-order.js';
import * as identity from './005-identity.js';
import * as forms from './006-forms.js';
import * as filesAndDictionaries from './007-files-and-dictionaries.js';
import * as taskOperations from './008-task-operations.js';
import * as processDrafts from './009-process-drafts.js';
import * as publicReports from './010-public-reports.js';
import * as inboxIndexes from './011-inbox-indexes.js';
import * as plugins from './012-plugins.js';
import * as candidateTenant from './013-candidate-tenant.js';
import * as exchangeAndReportLocation from './014-exchange-and-report-location.js';
import * as taskBusinessKey from './015-task-business-key.js';
import * as publicChannelClients from './018-public-channel-clients.js';
import * as pluginRoleGrants from './019-plugin-role-grants.js';
import * as taskSearchText from './020-task-search-text.js';
import * as historyTaskOwner from './021-history-task-owner.js';
import * as writePathIndexes from './022-write-path-indexes.js';

/** Ordered list of schema migrations; append, never edit a released one. */
const MIGRATIONS = [
  { name: '001-engine-core', ...engineCore },
  { name: '002-events-and-jobs', ...eventsAndJobs },
  { name: '003-api-tokens', ...apiTokens },
  { name: '004-external-task-fetch-order', ...externalTaskFetchOrder },
  { name: '005-identity', ...identity },
  { name: '006-forms', ...forms },
  { name: '007-files-and-dictionaries', ...filesAndDictionaries },
  { name: '008-task-operations', ...taskOperations },
  { name: '009-process-drafts', ...processDrafts },
  { name: '010-public-reports', ...publicReports },
  { name: '011-inbox-indexes', ...inboxIndexes },
  { name: '012-plugins', ...plugins },
  { name: '013-candidate-tenant', ...candidateTenant },
  { name: '014-exchange-and-report-location', ...exchangeAndReportLocation },
  { name: '015-task-business-key', ...taskBusinessKey },
  { name: '018-public-channel-clients', ...publicChannelClients },
  { name: '019-plugin-role-grants', ...pluginRoleGrants },
  { name: '020-task-search-text', ...taskSearchText },
  { name: '021-history-task-owner', ...historyTaskOwner },
  { name: '022-write-path-indexes', ...writePathIndexes },
];

/**
 * Brings the schema up to date. On MariaDB several engine processes may start together, so a
 * named server lock makes one of them migrate while the others wait.
 */
export async function migrate(database: Database): Promise<void> {
  const { sequelize } = database;
  const umzug = new Umzug({
    migrations: MIGRATIONS,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migration' }),
    logger: undefined,
  });
  if (database.dialect !== 'mariadb') {
    await umzug.up();
    return;
  }
  // GET_LOCK belongs to a connection: hold one transaction's connection for the whole migration
  await database.transaction(async (sql) => {
    const [lock] = await sql.select("SELECT GET_LOCK('yiwang_migrate', 120) AS acquired");
    if (Number(lock?.acquired) !== 1) throw new Error('timed out waiting for another process to finish migrating the schema');
    try {
      await umzug.up();
    } finally {
      await sql.select("SELECT RELEASE_LOCK('yiwang_migrate')");
    }
  });
}
