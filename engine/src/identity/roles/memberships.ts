import { BadUserRequestError, ForbiddenError } from '../../errors/index.js';
import { USER, placeholders, type DbSession, type UserEntity } from '../../persistence/index.js';
import type { Noun } from '../organisation/rules.js';

/**
 * The users named, all of them users of `tenantId` (role holders and group members come from the
 * role's or group's own tenant); any other id, unknown or another tenant's, is a 400 naming it.
 */
export async function usersOfTenant(session: DbSession, tenantId: string, userIds: readonly string[]): Promise<UserEntity[]> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return [];
  const found = await session.select(USER, `tenant_id = $1 AND id IN (${placeholders(wanted.length, 1)})`, [tenantId, ...wanted]);
  const foundIds = new Set(found.map((user) => user.id));
  const strangers = wanted.filter((id) => !foundIds.has(id)).map((id) => `'${id}'`).join(', ');
  if (strangers) throw new BadUserRequestError(`用户 ${strangers} 不是租户 ${tenantId} 的用户 (users ${strangers} do not exist in tenant ${tenantId})`);
  return found;
}

/** What to add and what to remove to go from `current` to `wanted`. */
export function difference<T>(current: readonly T[], wanted: readonly T[]): { added: T[]; removed: T[] } {
  const before = new Set(current);
  const after = new Set(wanted);
  return { added: [...after].filter((item) => !before.has(item)), removed: [...before].filter((item) => !after.has(item)) };
}

/** Brings link rows (grants, holders, members) from their current keys to `wanted`; answers what was added and removed. */
export function replaceRows<R>(
  current: readonly { row: R; key: string }[],
  wanted: readonly string[],
  apply: { add(key: string): void; remove(row: R): void },
): { added: string[]; removed: string[] } {
  const changes = difference(current.map((entry) => entry.key), wanted);
  for (const key of changes.added) apply.add(key);
  for (const entry of current) if (changes.removed.includes(entry.key)) apply.remove(entry.row);
  return changes;
}

/**
 * Nobody adds themselves to a role or group, or takes themselves out: it changes what they may
 * do, see and are offered, so another administrator must (as with their own departments, posts
 * and roles on the user).
 */
export function refuseOwnMembership(callerId: string | undefined, changes: { readonly added: readonly string[]; readonly removed: readonly string[] }, noun: Noun): void {
  if (callerId === undefined || !(changes.added.includes(callerId) || changes.removed.includes(callerId))) return;
  throw new ForbiddenError(`不能更改自己的${noun.zh}成员身份，须由其他管理员修改 (you cannot add yourself to or remove yourself from a ${noun.en}: another administrator must)`);
}
