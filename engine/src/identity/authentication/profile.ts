import { NotFoundError } from '../../errors/index.js';
import { DEPARTMENT, DbSession, placeholders, ROLE, TENANT, USER, type Database, type TenantLevel } from '../../persistence/index.js';
import type { DataScope, Principal } from '../access.js';

/** What a signed-in caller learns about themselves (`GET /api/auth/me`): enough for the apps to build menus and say who is signed in. */
export interface CallerProfile {
  readonly id: string;
  readonly displayName: string;
  readonly tenant: { readonly id: string; readonly name: string; readonly level: TenantLevel };
  /** the primary department first */
  readonly departments: readonly { readonly id: string; readonly code: string; readonly name: string }[];
  readonly roles: readonly { readonly id: string; readonly code: string; readonly name: string }[];
  /** what the caller may do (narrowed to an API key's permissions when a key calls) */
  readonly permissions: readonly string[];
  readonly dataScope: DataScope;
  /** only the password change, this profile and sign-out answer until the caller chooses a new password */
  readonly passwordChangeRequired: boolean;
}

/** The caller's own rows, read whatever tenant an API key narrowed them to: they are the caller's. */
export function callerProfile(database: Database, principal: Principal): Promise<CallerProfile> {
  return database.read(async (sql) => {
    const session = new DbSession(sql);
    const user = await session.findById(USER, principal.userId);
    const tenant = await session.findById(TENANT, principal.tenantId);
    // gone since the principal was loaded (principals are cached for a few seconds)
    if (!user || !tenant) throw new NotFoundError(`用户不存在 (user '${principal.userId}' does not exist)`);
    const departmentIds = principal.departmentIds;
    const departments = departmentIds.length === 0 ? [] : await session.select(DEPARTMENT, `id IN (${placeholders(departmentIds.length)})`, [...departmentIds]);
    const roles = await session.select(ROLE, 'id IN (SELECT role_id FROM user_role WHERE user_id = $1)', [user.id], 'ORDER BY code');
    return {
      id: user.id,
      displayName: user.displayName,
      tenant: { id: tenant.id, name: tenant.name, level: tenant.level },
      departments: departmentIds.flatMap((id) => departments.filter((department) => department.id === id)).map(({ id, code, name }) => ({ id, code, name })),
      roles: roles.map(({ id, code, name }) => ({ id, code, name })),
      permissions: [...principal.permissions].sort(),
      dataScope: principal.dataScope,
      passwordChangeRequired: principal.passwordChangeRequired,
    };
  });
}
