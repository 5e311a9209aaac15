import { countAuditLog, listAuditLog, type AuditLogQuery } from '../../identity/audit/index.js';
import { parseDate } from '../engine-rest/dates.js';
import { addListAndCount, adminCalls, type AdminRouteDeps } from './admin-calls.js';
import { LOGIN_ID, matching, PAGE, TENANT_ID } from './admin-schemas.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

/** The filters as they arrive: dates as ISO 8601 text (`2026-11-24T08:00:00+08:00`; without an offset in the engine's zone). */
type AuditLogParameters = Omit<AuditLogQuery, 'from' | 'to'> & { readonly from?: string; readonly to?: string };

const DATE: JsonSchema = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})?)?$', maxLength: 40 };
const AUDIT_QUERY: JsonSchema = {
  type: 'object',
  properties: {
    userId: LOGIN_ID,
    action: matching(/^[A-Za-z][A-Za-z0-9._-]*$/, 128),
    objectType: matching(/^[A-Za-z][A-Za-z0-9._-]*$/),
    /** ids of every kind: UUIDs, login names, region codes, permission ids (`menu:org:role`) */
    objectId: matching(/^[A-Za-z0-9@:._-]+$/, 255),
    tenantId: TENANT_ID,
    from: DATE,
    to: DATE,
    ...PAGE,
  },
};
const AUDIT_ENTRY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, time: { type: 'string', format: 'date-time' }, userId: { type: 'string', nullable: true }, tenantId: { type: 'string', nullable: true },
    action: { type: 'string' }, objectType: { type: 'string', nullable: true }, objectId: { type: 'string', nullable: true }, address: { type: 'string', nullable: true },
    detail: { description: 'what changed, as the command recorded it (never secrets)' },
  },
};

/**
 * `GET /api/admin/audit-log` (+ `/count`): who changed what, when, from where; newest first, of
 * the tenants the caller sees. There is no route that writes it: commands append to it, and the
 * database refuses to change or delete its rows.
 */
export function registerAuditRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  const timeZone = deps.engine.environment.timeZone;
  const query = (parameters: AuditLogParameters): AuditLogQuery => ({
    ...parameters,
    from: parameters.from === undefined ? undefined : parseDate(parameters.from, 'from', timeZone),
    to: parameters.to === undefined ? undefined : parseDate(parameters.to, 'to', timeZone),
  });
  addListAndCount<AuditLogParameters>(routes, calls, {
    path: '/admin/audit-log', tag: 'audit', permission: 'audit:read', summaries: { list: 'read the audit log', count: 'count audit log entries' },
    query: AUDIT_QUERY,
    item: AUDIT_ENTRY,
    list: (session, parameters) => listAuditLog(session, query(parameters)),
    count: (session, parameters) => countAuditLog(session, query(parameters)),
  });
}
