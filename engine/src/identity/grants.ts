import type { DataScopeKind } from '../persistence/index.js';
import { DATA_SCOPE_WIDTH, hasPermission, type Principal } from './access.js';

/*
 * The one rule behind every grant: nobody hands out more than they have. It applies wherever a
 * role gains power or holders (a role created or edited, its holders set, a role given to a user
 * created, edited or imported) and to a password reset, which would let the administrator sign in
 * as the user. Otherwise an administrator could make someone — themselves included — more
 * powerful than they are.
 */

/** Whose rows a role's holders see, besides what its permissions let them do. */
export interface RoleReach {
  readonly dataScope: DataScopeKind;
  readonly seesDescendants: boolean;
}

/** Words shown to users: zh-CN, and English in the parentheses after it. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** What a role would hand its holders that the grantor lacks. */
export interface Overreach {
  readonly permissions: readonly string[];
  readonly reach: readonly Bilingual[];
}

/**
 * Of `permissions`, those the grantor does not hold. `*` is held only by a holder of `*`: every
 * named permission together is still not `*`, which also covers those added to the catalogue later.
 */
export function permissionsBeyond(grantor: Principal, permissions: Iterable<string>): string[] {
  return [...permissions].filter((permission) => !hasPermission(grantor, permission));
}

/**
 * What of a role's reach goes beyond the grantor's own: seeing the descendant tenants' rows when
 * they see their own tenant only, and a data scope wider than theirs (all > department-and-below >
 * chosen-departments > department > self). `current` is the role's reach before an edit: what it
 * had already stays, as the permissions it granted already do.
 */
export function reachBeyond(grantor: Principal, reach: RoleReach, current?: RoleReach): Bilingual[] {
  const beyond: Bilingual[] = [];
  if (reach.seesDescendants && !current?.seesDescendants && !seesDescendants(grantor)) {
    beyond.push({ zh: '查看下级租户（seesDescendants），而你只能看到本租户', en: "seesDescendants: the descendant tenants' rows, while you see your own tenant only" });
  }
  const own = grantor.dataScope.kind;
  const wider = (scope: DataScopeKind, than: DataScopeKind) => DATA_SCOPE_WIDTH[scope] > DATA_SCOPE_WIDTH[than];
  if (wider(reach.dataScope, own) && (!current || wider(reach.dataScope, current.dataScope))) {
    beyond.push({ zh: `数据范围 ${reach.dataScope}，宽于你的 ${own}`, en: `the data scope '${reach.dataScope}', wider than your own '${own}'` });
  }
  return beyond;
}

/** Everything a role with these permissions and this reach would hand its holders that the grantor lacks; null when nothing. */
export function roleBeyond(grantor: Principal, role: RoleReach & { readonly permissions: readonly string[] }): Overreach | null {
  const permissions = permissionsBeyond(grantor, role.permissions);
  const reach = reachBeyond(grantor, role);
  return permissions.length === 0 && reach.length === 0 ? null : { permissions, reach };
}

/** The parts of an overreach as clauses about the role: `它包含你没有的权限 …；它带有超出你的数据权限：…`. */
export function describeOverreach({ permissions, reach }: Overreach): Bilingual {
  const clauses: Bilingual[] = [];
  if (permissions.length > 0) {
    const list = permissions.join(', ');
    clauses.push({ zh: `它包含你没有的权限 ${list}`, en: `it grants permissions you do not hold: ${list}` });
  }
  if (reach.length > 0) clauses.push({ zh: `它带有超出你的数据权限：${joinZh(reach)}`, en: `it sees more than you do: ${joinEn(reach)}` });
  return { zh: joinZh(clauses), en: joinEn(clauses) };
}

export const joinZh = (parts: readonly Bilingual[]): string => parts.map((part) => part.zh).join('；');
export const joinEn = (parts: readonly Bilingual[]): string => parts.map((part) => part.en).join('; ');

function seesDescendants(principal: Principal): boolean {
  const visible = principal.visibleTenantIds;
  return visible === 'all' || visible.some((id) => id !== principal.tenantId);
}
