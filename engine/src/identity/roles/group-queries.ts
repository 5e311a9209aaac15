import { USER, USER_GROUP, type DbSession, type UserGroupEntity } from '../../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from '../../services/query.js';
import { findGroup } from './groups.js';

export type GroupSortKey = 'code' | 'name' | 'created';

const GROUP_SORT: Record<GroupSortKey, string> = { code: 'code', name: 'name', created: 'created' };

export interface GroupQuery extends Page, Sorting<GroupSortKey> {
  readonly tenantId?: string;
  readonly code?: string;
  /** a LIKE pattern (`%夜班%`) */
  readonly nameLike?: string;
  /** groups this user is a member of */
  readonly member?: string;
}

export type GroupView = Omit<UserGroupEntity, 'rev'>;

export interface GroupDetail extends GroupView {
  readonly members: { id: string; displayName: string }[];
}

/** User groups of the tenants the session sees. */
export async function listGroups(session: DbSession, query: GroupQuery): Promise<GroupView[]> {
  const filter = groupFilter(query);
  const groups = await session.select(USER_GROUP, filter.where, filter.bindings, orderAndPage(query, GROUP_SORT, 'code', query));
  return groups.map(groupView);
}

export function countGroups(session: DbSession, query: GroupQuery): Promise<number> {
  const filter = groupFilter(query);
  return session.count(USER_GROUP, filter.where, filter.bindings);
}

/** A group with its members. */
export async function getGroup(session: DbSession, id: string): Promise<GroupDetail> {
  const group = await findGroup(session, id);
  const members = await session.select(USER, 'id IN (SELECT user_id FROM group_member WHERE group_id = $1)', [id], 'ORDER BY id');
  return { ...groupView(group), members: members.map((user) => ({ id: user.id, displayName: user.displayName })) };
}

function groupFilter(query: GroupQuery): Filter {
  const filter = new Filter().equals('tenant_id', query.tenantId).equals('code', query.code).like('name', query.nameLike);
  if (query.member !== undefined) filter.raw('id IN (SELECT group_id FROM group_member WHERE user_id = ?)', query.member);
  return filter;
}

function groupView({ rev: _rev, ...group }: UserGroupEntity): GroupView {
  return group;
}
