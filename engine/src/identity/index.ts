export { ALL_PERMISSIONS, actorOf, hasPermission, queryScope, tenantScope, type DataScope, type Principal } from './access.js';
export { CORE_PERMISSIONS, isCorePermission } from './permissions.js';
export { PRINCIPAL_TTL_MS, Principals } from './principals.js';
