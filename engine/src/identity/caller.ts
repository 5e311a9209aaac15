import type { Actor } from '../command/index.js';
import type { ServiceCaller } from '../services/index.js';
import { queryScope, tenantScope, type Principal } from './access.js';
import { taskWorkPolicy } from './task-access.js';

/** The actor a request's commands run as: scoped to the caller's tenants, audited, task actions checked. */
export function actorOf(principal: Principal, address: string | null): Actor {
  return {
    userId: principal.userId,
    tenantId: principal.tenantId,
    departmentId: principal.departmentIds[0] ?? null,
    address,
    scope: tenantScope(principal),
    taskPolicy: taskWorkPolicy(principal),
  };
}

/** The engine services' view of a request's caller: scoped queries; scoped, audited and task-checked commands. */
export function serviceCaller(principal: Principal, address: string | null): ServiceCaller {
  return { userId: principal.userId, actor: actorOf(principal, address), queryScope: queryScope(principal), casesRestricted: principal.dataScope.kind !== 'all' };
}
