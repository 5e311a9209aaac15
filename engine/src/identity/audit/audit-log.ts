import { AUDIT_LOG, type AuditLogEntity, type DbSession } from '../../persistence/index.js';
import { Filter, orderAndPage, type Page } from '../../services/query.js';

/** Filters of the audit log; `from` is inclusive, `to` exclusive. */
export interface AuditLogQuery extends Page {
  readonly userId?: string;
  readonly action?: string;
  readonly objectType?: string;
  readonly objectId?: string;
  readonly tenantId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * The audit log of the tenants the session sees, newest first. There is no way to change it: the
 * rows are written by the command executor with each change, and the database refuses updates and
 * deletes of them.
 */
export function listAuditLog(session: DbSession, query: AuditLogQuery): Promise<AuditLogEntity[]> {
  const filter = auditFilter(query);
  return session.select(AUDIT_LOG, filter.where, filter.bindings, orderAndPage({ sortBy: 'time', sortOrder: 'desc' }, { time: 'time' }, 'time', query));
}

export function countAuditLog(session: DbSession, query: AuditLogQuery): Promise<number> {
  const filter = auditFilter(query);
  return session.count(AUDIT_LOG, filter.where, filter.bindings);
}

function auditFilter(query: AuditLogQuery): Filter {
  return new Filter()
    .equals('user_id', query.userId)
    .equals('action', query.action)
    .equals('object_type', query.objectType)
    .equals('object_id', query.objectId)
    .equals('tenant_id', query.tenantId)
    .compare('time', '>=', query.from)
    .compare('time', '<', query.to);
}
