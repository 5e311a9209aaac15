export { countAuditLog, listAuditLog, type AuditLogQuery } from './audit-log.js';
