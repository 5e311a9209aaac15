export { ALL_PERMISSIONS, hasPermission, queryScope, tenantScope, type DataScope, type Principal } from './access.js';
export { actorOf, serviceCaller } from './caller.js';
export { taskWorkPolicy } from './task-access.js';
export { CORE_PERMISSIONS, isCorePermission } from './permissions.js';
export { PRINCIPAL_TTL_MS, Principals } from './principals.js';
export * from './assignment/index.js';
export * from './authentication/index.js';
export * from './roles/index.js';
export * from './audit/index.js';
