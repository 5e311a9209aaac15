import type { DataScopeKind, Restriction, RowScope, SqlValue } from '../persistence/index.js';

/**
 * Who is calling, resolved once per request from their roles: the tenants whose rows they see,
 * what they may do, and which cases their data scope covers. Built by `identity/principals.ts`.
 */
export interface Principal {
  readonly userId: string;
  /** the caller's own tenant */
  readonly tenantId: string;
  /** the tenants whose rows the caller sees: their own, plus the descendants' where a role grants it; `all` at the root */
  readonly visibleTenantIds: readonly string[] | 'all';
  readonly permissions: ReadonlySet<string>;
  /** the widest data scope of the caller's roles, with the departments it covers */
  readonly dataScope: DataScope;
  /** the user's departments; the first is the primary one (the initiator's department of what they start) */
  readonly departmentIds: readonly string[];
  /** the candidate-group ids the user matches (`role:x`, `dept:y`, `post:z`, `group:g`) */
  readonly candidateGroupIds: readonly string[];
  /**
   * The caller authenticated as a person (session or HTTP Basic) whose password must be changed
   * before anything else: handed to them, or older than the policy allows. Until then they may
   * only change it, see who they are and sign out. Set by the Authenticator from the user's row
   * as it is now; API keys, being machine credentials, are never held back.
   */
  readonly passwordChangeRequired: boolean;
  /** the API key the request came with (`api_token.id`), when it came with one: API clients are known by their key */
  readonly apiKeyId?: string;
}

export type DataScope = { readonly kind: 'all' } | { readonly kind: Exclude<DataScopeKind, 'all'>; readonly departmentIds: readonly string[] };

/** How much of the cases each data scope covers, widest highest: a user with several roles gets the widest of their scopes. */
export const DATA_SCOPE_WIDTH: Readonly<Record<DataScopeKind, number>> = { all: 4, 'department-and-below': 3, 'chosen-departments': 2, department: 1, self: 0 };

/** The permission that grants everything: the platform administrator's. */
export const ALL_PERMISSIONS = '*';

export function hasPermission(principal: Principal, permission: string): boolean {
  return principal.permissions.has(ALL_PERMISSIONS) || principal.permissions.has(permission);
}

/**
 * Tables whose rows belong to one tenant. A row without a tenant belongs to the platform root,
 * which only a caller who sees every tenant sees.
 */
const TENANT_OWNED = new Set([
  'execution', 'task', 'external_task', 'variable', 'incident', 'job', 'event_subscription',
  'hi_process_instance', 'hi_activity_instance', 'hi_task', 'hi_variable', 'hi_variable_update', 'hi_operation_log',
  'department', 'post', 'app_user', 'role', 'user_group', 'api_token', 'audit_log',
  'user_department', 'user_post', 'user_role',
  'stored_file', 'stored_file_chunk', 'tenant_file_policy',
  'serial_sequence',
  'notification', 'notification_channel', 'task_copy', 'case_action', 'case_request', 'case_hold', 'idempotency_key',
  'process_draft',
  'public_channel', 'public_report', 'public_channel_client', 'exchange_assignment',
  'plugin_installation', 'plugin_menu', 'plugin_statistic', 'plugin_dict_item', 'plugin_migration', 'plugin_role_grant',
]);

/** Definitions without a tenant are shared: every tenant may read and start them (as in Camunda). */
const SHARED_WHEN_UNOWNED = new Set(['deployment', 'resource', 'process_definition', 'form_definition', 'dictionary', 'dictionary_item', 'work_calendar', 'work_calendar_day']);

/** The tenant restriction of a caller: what commands run under, so an id from another tenant finds nothing. */
export function tenantScope(principal: Principal): RowScope | null {
  const visible = principal.visibleTenantIds;
  if (visible === 'all') return null;
  return {
    restrict(table) {
      if (table.name === 'tenant') return inList('id', visible);
      if (SHARED_WHEN_UNOWNED.has(table.name)) return or(inList('tenant_id', visible), { clause: 'tenant_id IS NULL', values: [] });
      return TENANT_OWNED.has(table.name) ? inList('tenant_id', visible) : null;
    },
  };
}

/**
 * What queries run under: the tenant restriction, and on cases (instances and their tasks) the
 * data scope. Whatever the scope, a caller sees the tasks offered to them and the cases they
 * started or worked on — their inbox is never hidden from them.
 */
export function queryScope(principal: Principal): RowScope | null {
  const tenants = tenantScope(principal);
  const cases = caseRestrictions(principal);
  if (!cases) return tenants;
  return {
    restrict(table) {
      const restrictions = [tenants?.restrict(table) ?? null, cases[table.name] ?? null].filter((r): r is Restriction => r !== null);
      return restrictions.length === 0 ? null : and(...restrictions);
    },
  };
}

/**
 * The tasks offered to the caller — a candidate row naming them or one of their groups — in the
 * tenants they see, as a subquery of task ids. It reads only the caller's own candidate rows, from
 * the indexes (tenant_id, user_id, task_id) and (tenant_id, group_id, task_id): a candidate row
 * carries its task's tenant, and role codes repeat across tenants, so without the tenant every
 * tenant's candidates of the caller's groups were read. Tasks outside the visible tenants are
 * outside the caller's scope anyway, so the tenant changes no answer. The user's rows and the
 * groups' rows are two range reads joined by UNION ALL (an OR of the two made MariaDB scan the
 * table); a task in both is tested twice, which `id IN (...)` does not count twice.
 */
export function offeredTaskIds(principal: Principal): Restriction {
  const tenants = principal.visibleTenantIds === 'all' ? null : inList('tenant_id', principal.visibleTenantIds);
  const rowsOf = (who: Restriction): Restriction => {
    const where = tenants ? and(tenants, who) : who;
    return { clause: `SELECT task_id FROM task_candidate WHERE ${where.clause}`, values: where.values };
  };
  const parts = [rowsOf({ clause: 'user_id = ?', values: [principal.userId] })];
  if (principal.candidateGroupIds.length > 0) parts.push(rowsOf(inList('group_id', principal.candidateGroupIds)));
  return {
    clause: `SELECT task_id FROM (${parts.map((part) => part.clause).join(' UNION ALL ')}) offered`,
    values: parts.flatMap((part) => part.values),
  };
}

/** The data-scope predicate per case table, or null when the scope covers every case of the visible tenants. */
function caseRestrictions(principal: Principal): Record<string, Restriction> | null {
  if (principal.dataScope.kind === 'all') return null;
  const me = principal.userId;
  const departments = principal.dataScope.departmentIds;
  const candidateOf = offeredTaskIds(principal);
  const instanceInScope = or(
    { clause: 'start_user_id = ?', values: [me] },
    inList('start_department_id', departments),
    { clause: 'id IN (SELECT process_instance_id FROM hi_task WHERE assignee = ? OR owner = ?)', values: [me, me] },
    // a case waiting in one's inbox: its form data and history must be readable to work on it
    { clause: `id IN (SELECT process_instance_id FROM task WHERE id IN (${candidateOf.clause}))`, values: candidateOf.values },
    // a case copied to one (抄送) is theirs to read
    { clause: 'id IN (SELECT process_instance_id FROM task_copy WHERE user_id = ?)', values: [me] },
  );
  const byInstance = (column: string): Restriction => ({
    clause: `${column} IN (SELECT id FROM hi_process_instance WHERE ${instanceInScope.clause})`,
    values: instanceInScope.values,
  });
  /** rows of a case, or of no case at all (a definition's start timer, a deployment's log entry) */
  const byInstanceIfAny = or({ clause: 'process_instance_id IS NULL', values: [] }, byInstance('process_instance_id'));
  const offeredToMe = or({ clause: 'assignee = ? OR owner = ?', values: [me, me] }, { clause: `id IN (${candidateOf.clause})`, values: candidateOf.values });
  return {
    hi_process_instance: instanceInScope,
    execution: byInstance('process_instance_id'),
    task: or(offeredToMe, byInstance('process_instance_id')),
    hi_task: or({ clause: 'assignee = ? OR owner = ?', values: [me, me] }, byInstance('process_instance_id')),
    hi_activity_instance: byInstance('process_instance_id'),
    variable: byInstance('process_instance_id'),
    hi_variable: byInstance('process_instance_id'),
    hi_variable_update: byInstance('process_instance_id'),
    incident: byInstance('process_instance_id'),
    external_task: byInstance('process_instance_id'),
    job: byInstanceIfAny,
    event_subscription: byInstanceIfAny,
    hi_operation_log: byInstanceIfAny,
    case_action: byInstance('process_instance_id'),
    case_request: byInstance('process_instance_id'),
    case_hold: byInstance('process_instance_id'),
    task_copy: or({ clause: 'user_id = ?', values: [me] }, byInstance('process_instance_id')),
  };
}

function inList(column: string, values: readonly SqlValue[]): Restriction {
  return values.length === 0 ? { clause: '1 = 0', values: [] } : { clause: `${column} IN (${marks(values)})`, values };
}

function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

function or(...parts: Restriction[]): Restriction {
  return { clause: parts.map((p) => `(${p.clause})`).join(' OR '), values: parts.flatMap((p) => p.values) };
}

function and(...parts: Restriction[]): Restriction {
  return { clause: parts.map((p) => `(${p.clause})`).join(' AND '), values: parts.flatMap((p) => p.values) };
}
