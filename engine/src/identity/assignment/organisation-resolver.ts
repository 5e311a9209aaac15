import type { AssignmentResolver, OrganisationAnswer, OrganisationQuery } from '../../bpmn/execute/index.js';
import type { CommandContext } from '../../command/index.js';
import {
  DEPARTMENT,
  GROUP_MEMBER,
  placeholders,
  POST,
  ROLE,
  USER,
  USER_DEPARTMENT,
  USER_GROUP,
  USER_POST,
  USER_ROLE,
  type DbSession,
  type DepartmentEntity,
  type SqlValue,
  type Table,
  type UserEntity,
} from '../../persistence/index.js';

const NOT_FOUND: OrganisationAnswer = { userIds: [], found: false };

/**
 * Answers the engine's questions about who holds a role, belongs to a department or leads it,
 * from the organisation tables. Every read goes through the command's session, so it sees the
 * command's transaction and stays within the acting caller's tenants; within those, `tenantId`
 * picks the instance's own organisation (role and department codes are unique per tenant only).
 * Disabled users are never answered.
 */
export class OrganisationAssignmentResolver implements AssignmentResolver {
  async resolve(context: CommandContext, tenantId: string | null, queries: readonly OrganisationQuery[]): Promise<OrganisationAnswer[]> {
    const organisation = new TenantOrganisation(context.session, tenantId);
    const answers: OrganisationAnswer[] = [];
    for (const query of queries) answers.push(await organisation.answer(query));
    return answers;
  }
}

class TenantOrganisation {
  constructor(
    private readonly session: DbSession,
    private readonly tenantId: string | null,
  ) {}

  answer(query: OrganisationQuery): Promise<OrganisationAnswer> {
    switch (query.kind) {
      case 'role':
        return this.holders(ROLE, USER_ROLE, 'role_id', query.code);
      case 'post':
        return this.holders(POST, USER_POST, 'post_id', query.code);
      case 'group':
        return this.holders(USER_GROUP, GROUP_MEMBER, 'group_id', query.code);
      case 'departmentMembers':
        return this.departmentMembers(query.department, query.includeSubDepartments);
      case 'departmentLeader':
        return this.departmentLeader(query.department, query.levelsUp);
      case 'userLeader':
        return this.userLeader(query.userId, query.departmentId, query.levelsUp);
      case 'users':
        return this.users(query.userIds);
    }
  }

  /** The role, post or group of this code and its enabled members, in one round trip. */
  private async holders<O extends { id: string }, M extends { id: string; userId: string }>(
    owner: Table<O>,
    membership: Table<M>,
    ownerColumn: string,
    code: string,
  ): Promise<OrganisationAnswer> {
    const named = this.inTenant('code = $1', [code]);
    const [owners, members] = await this.session.selectMany<[O, M]>([
      { table: owner, where: named.where, bind: named.bind },
      {
        table: membership,
        where: `${ownerColumn} IN (SELECT id FROM ${owner.name} WHERE ${named.where}) AND ${enabledUser(named.bind.length + 1)}`,
        bind: [...named.bind, true],
      },
    ]);
    return { found: owners.length > 0, userIds: unique(members.map((member) => member.userId)) };
  }

  private async departmentMembers(department: string, includeSubDepartments: boolean): Promise<OrganisationAnswer> {
    const departments = await this.departments(department);
    if (departments.length === 0) return NOT_FOUND;
    // paths are made of ids and slashes: no LIKE wildcard can occur in one
    const inDepartments = includeSubDepartments
      ? `department_id IN (SELECT id FROM department WHERE ${departments.map((_, i) => `path LIKE $${i + 1}`).join(' OR ')})`
      : `department_id IN (${placeholders(departments.length)})`;
    const bind = includeSubDepartments ? departments.map((d) => `${d.path}%`) : departments.map((d) => d.id);
    const members = await this.session.select(USER_DEPARTMENT, `${inDepartments} AND ${enabledUser(bind.length + 1)}`, [...bind, true]);
    return { found: true, userIds: unique(members.map((member) => member.userId)) };
  }

  private async departmentLeader(department: string, levelsUp: number): Promise<OrganisationAnswer> {
    const departments = await this.departments(department);
    if (departments.length === 0) return NOT_FOUND;
    return { found: true, userIds: await this.leadersAbove(departments, levelsUp) };
  }

  /** From the department the user started the instance for, else from their primary department. */
  private async userLeader(userId: string, departmentId: string | null, levelsUp: number): Promise<OrganisationAnswer> {
    const memberships = this.inTenant('user_id = $1', [userId]);
    const startId = departmentId ?? (await this.session.select(USER_DEPARTMENT, memberships.where, memberships.bind, 'ORDER BY primary_ DESC, id'))[0]?.departmentId;
    if (!startId) return NOT_FOUND;
    const start = this.inTenant('id = $1', [startId]);
    const departments = await this.session.select(DEPARTMENT, start.where, start.bind);
    if (departments.length === 0) return NOT_FOUND;
    return { found: true, userIds: await this.leadersAbove(departments, levelsUp) };
  }

  /**
   * For each department: go `levelsUp` levels up its path (stopping at the top department), then
   * take the first enabled leader from there upwards — a department without a leader hands the
   * task to the one above it. Ancestors and leaders come in one round trip.
   */
  private async leadersAbove(departments: readonly DepartmentEntity[], levelsUp: number): Promise<string[]> {
    const chains = departments.map((department) => {
      const fromTop = department.path.split('/').filter((id) => id.length > 0);
      return fromTop.slice(0, Math.max(1, fromTop.length - levelsUp)).reverse();
    });
    const ids = unique(chains.flat());
    const [ancestors, enabledLeaders] = await this.session.selectMany<[DepartmentEntity, UserEntity]>([
      { table: DEPARTMENT, where: `id IN (${placeholders(ids.length)})`, bind: ids },
      {
        table: USER,
        where: `id IN (SELECT leader_user_id FROM department WHERE id IN (${placeholders(ids.length)})) AND enabled = $${ids.length + 1}`,
        bind: [...ids, true],
      },
    ]);
    const leaderOf = new Map(ancestors.map((d) => [d.id, d.leaderUserId]));
    const enabled = new Set(enabledLeaders.map((user) => user.id));
    return unique(chains.flatMap((chain) => {
      const leader = chain.map((id) => leaderOf.get(id)).find((userId) => userId != null && enabled.has(userId));
      return leader ? [leader] : [];
    }));
  }

  /** Those of the ids that are enabled users of the organisation. */
  private async users(userIds: readonly string[]): Promise<OrganisationAnswer> {
    const known = this.inTenant(`id IN (${placeholders(userIds.length)}) AND enabled = $${userIds.length + 1}`, [...userIds, true]);
    const users = await this.session.select(USER, known.where, known.bind);
    return { found: true, userIds: users.map((user) => user.id) };
  }

  /** A department by code (what BPMN names) or id (what a form field may hold). */
  private departments(codeOrId: string): Promise<DepartmentEntity[]> {
    const named = this.inTenant('code = $1 OR id = $1', [codeOrId]);
    return this.session.select(DEPARTMENT, named.where, named.bind);
  }

  /** `where` within the instance's tenant, or across all tenants for an instance without one. */
  private inTenant(where: string, bind: readonly SqlValue[]): { where: string; bind: SqlValue[] } {
    if (this.tenantId === null) return { where: `(${where})`, bind: [...bind] };
    return { where: `(${where}) AND tenant_id = $${bind.length + 1}`, bind: [...bind, this.tenantId] };
  }
}

/** Membership rows of enabled users only; `$n` is the marker bound to `true`. */
function enabledUser(marker: number): string {
  return `user_id IN (SELECT id FROM app_user WHERE enabled = $${marker})`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
