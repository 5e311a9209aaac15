import type { Clock } from '../command/index.js';
import type { Database, DataScopeKind, Row, SqlRunner } from '../persistence/index.js';
import { placeholders } from '../persistence/index.js';
import { DATA_SCOPE_WIDTH, type DataScope, type Principal } from './access.js';

/**
 * How long a loaded principal is reused. Every request needs one (workers send credentials with
 * each call), and loading it costs half a dozen queries. Role and membership changes therefore
 * reach other engine processes within this time; revoked tokens and disabled users do not wait
 * for it, as sessions and the user's `enabled` flag are checked on every request.
 */
export const PRINCIPAL_TTL_MS = 5_000;

/** Loads principals from the organisation tables, with a short cache. */
export class Principals {
  private readonly cache = new Map<string, { principal: Principal; loaded: number }>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /** The principal of an enabled user, or null for an unknown or disabled one. */
  async load(userId: string): Promise<Principal | null> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(userId);
    if (cached && now - cached.loaded < PRINCIPAL_TTL_MS) return cached.principal;
    const principal = await this.database.read((sql) => loadPrincipal(sql, userId));
    if (principal) this.cache.set(userId, { principal, loaded: now });
    else this.cache.delete(userId);
    return principal;
  }

  /** Forgets cached principals after an organisation change made by this process. */
  invalidate(): void {
    this.cache.clear();
  }
}

interface RoleRow {
  readonly id: string;
  readonly code: string;
  readonly dataScope: DataScopeKind;
  readonly seesDescendants: boolean;
}

async function loadPrincipal(sql: SqlRunner, userId: string): Promise<Principal | null> {
  const [user] = await sql.select('SELECT u.tenant_id, t.path, t.parent_id FROM app_user u JOIN tenant t ON t.id = u.tenant_id WHERE u.id = $1 AND u.enabled = $2 AND t.enabled = $2', [userId, 1]);
  if (!user) return null;
  const tenantId = String(user.tenant_id);
  const roles = (await sql.select('SELECT r.id, r.code, r.data_scope, r.sees_descendants FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = $1', [userId])).map(
    (row): RoleRow => ({ id: String(row.id), code: String(row.code), dataScope: String(row.data_scope) as DataScopeKind, seesDescendants: truthy(row.sees_descendants) }),
  );
  const roleIds = roles.map((role) => role.id);
  const permissions = roleIds.length === 0 ? [] : await sql.select(`SELECT DISTINCT permission FROM role_permission WHERE role_id IN (${placeholders(roleIds.length)})`, roleIds);
  const departments = await sql.select(
    'SELECT d.id, d.code, d.path FROM user_department ud JOIN department d ON d.id = ud.department_id WHERE ud.user_id = $1 ORDER BY ud.primary_ DESC, d.sort_order, d.id',
    [userId],
  );
  const posts = await sql.select('SELECT p.code FROM user_post up JOIN post p ON p.id = up.post_id WHERE up.user_id = $1', [userId]);
  const groups = await sql.select('SELECT g.code FROM group_member m JOIN user_group g ON g.id = m.group_id WHERE m.user_id = $1', [userId]);
  const seesDescendants = roles.some((role) => role.seesDescendants);
  return {
    userId,
    tenantId,
    visibleTenantIds: await visibleTenants(sql, tenantId, String(user.path), user.parent_id === null, seesDescendants),
    permissions: new Set(permissions.map((row) => String(row.permission))),
    dataScope: await widestDataScope(sql, roles, departments),
    departmentIds: departments.map((row) => String(row.id)),
    candidateGroupIds: [
      ...roles.map((role) => `role:${role.code}`),
      ...departments.map((row) => `dept:${String(row.code)}`),
      ...posts.map((row) => `post:${String(row.code)}`),
      ...groups.map((row) => `group:${String(row.code)}`),
    ],
    // a matter of the credential, not of the roles: the Authenticator decides it per request
    passwordChangeRequired: false,
  };
}

/** Paths are made of ids and slashes, and ids are region codes and UUIDs (checked on creation): no LIKE wildcard can occur in one. */
async function visibleTenants(sql: SqlRunner, tenantId: string, path: string, isRoot: boolean, seesDescendants: boolean): Promise<readonly string[] | 'all'> {
  if (!seesDescendants) return [tenantId];
  if (isRoot) return 'all';
  const rows = await sql.select('SELECT id FROM tenant WHERE path LIKE $1', [`${path}%`]);
  return rows.map((row) => String(row.id));
}

async function widestDataScope(sql: SqlRunner, roles: readonly RoleRow[], departments: readonly Row[]): Promise<DataScope> {
  if (roles.some((role) => role.dataScope === 'all')) return { kind: 'all' };
  const covered = new Set<string>();
  let widest: Exclude<DataScopeKind, 'all'> = 'self';
  for (const role of roles) {
    const kind = role.dataScope as Exclude<DataScopeKind, 'all'>;
    if (DATA_SCOPE_WIDTH[kind] > DATA_SCOPE_WIDTH[widest]) widest = kind;
    for (const id of await departmentsCovered(sql, role, departments)) covered.add(id);
  }
  return { kind: widest, departmentIds: [...covered] };
}

async function departmentsCovered(sql: SqlRunner, role: RoleRow, departments: readonly Row[]): Promise<string[]> {
  switch (role.dataScope) {
    case 'department':
      return departments.map((row) => String(row.id));
    case 'department-and-below': {
      if (departments.length === 0) return [];
      const clauses = departments.map((_, i) => `path LIKE $${i + 1}`).join(' OR ');
      const rows = await sql.select(`SELECT id FROM department WHERE ${clauses}`, departments.map((row) => `${String(row.path)}%`));
      return rows.map((row) => String(row.id));
    }
    case 'chosen-departments':
      return (await sql.select('SELECT department_id FROM role_department WHERE role_id = $1', [role.id])).map((row) => String(row.department_id));
    default:
      return [];
  }
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
