import type { DataScopeKind } from '../persistence/index.js';
import { DATA_SCOPE_WIDTH, hasPermission, type Principal } from './access.js';

/*
 * The one rule behind every grant: nobody hands out more than they have. It applies wherever a
 * role gains power or holders (a role created or edited, its holders set, a role given to a user
 * created, edited or imported), wherever a user is put in departments, and to whatever acts on a
 * user — editing, unlocking or deleting them, resetting their password (the administrator could
 * then sign in as them), an API key acting as them — which is refused for a user whose roles
 * grant more than the administrator has. Otherwise an administrator could make someone —
 * themselves included — more powerful than they are, or borrow the power of someone who is.
 */

/** Whose rows a role's holders see, besides what its permissions let them do. */
export interface RoleReach {
  readonly dataScope: DataScopeKind;
  readonly seesDescendants: boolean;
  /** with the data scope chosen-departments: the departments chosen */
  readonly departments?: readonly DepartmentRef[];
}

/** A department as messages name it. */
export interface DepartmentRef {
  readonly id: string;
  readonly code: string;
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
 * they see their own tenant only, a data scope wider than theirs (all > department-and-below >
 * chosen-departments > department > self), and chosen departments their own data scope does not
 * cover. `current` is the role's reach before an edit: what it had already stays, as the
 * permissions it granted already do.
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
  if (reach.dataScope === 'chosen-departments') {
    const chosenBefore = new Set(current?.dataScope === 'chosen-departments' ? (current.departments ?? []).map((department) => department.id) : []);
    const outside = departmentsBeyond(grantor, (reach.departments ?? []).filter((department) => !chosenBefore.has(department.id)));
    if (outside.length > 0) beyond.push(departmentsOutside(outside));
  }
  return beyond;
}

/**
 * Of `departments`, those the grantor's data scope does not cover (none when it is `all`). Putting
 * a user in such a department, or choosing it for a role, would let others see cases there — and
 * the candidate group `dept:<code>` offers its tasks to its members — that the grantor cannot see.
 */
export function departmentsBeyond<D extends DepartmentRef>(grantor: Principal, departments: readonly D[]): D[] {
  const scope = grantor.dataScope;
  if (scope.kind === 'all') return [];
  const covered = new Set(scope.departmentIds);
  return departments.filter((department) => !covered.has(department.id));
}

/** `部门 a, b 不在你的数据范围内` about departments `departmentsBeyond` found. */
export function departmentsOutside(departments: readonly DepartmentRef[]): Bilingual {
  const codes = departments.map((department) => department.code).join(', ');
  return { zh: `部门 ${codes} 不在你的数据范围内`, en: `the departments ${codes}, outside your own data scope` };
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
