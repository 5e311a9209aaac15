import type { Command, CommandContext } from '../../command/index.js';
import { ConflictError } from '../../errors/index.js';
import { GROUP_MEMBER, USER_GROUP, type DbSession, type UserGroupEntity } from '../../persistence/index.js';
import { applyChanges, checkCode, checkCodeFree, describeRemaining, openTasksOfferedTo, requireRow, targetTenant, type Noun } from '../organisation/rules.js';
import { difference, refuseOwnMembership, replaceRows, usersOfTenant } from './memberships.js';

export const GROUP_NOUN: Noun = { zh: '用户组', en: 'user group' };

export interface GroupInput {
  readonly code: string;
  readonly name: string;
}

/** A user group (an ad-hoc candidate set, `group:<code>` in BPMN) in the caller's tenant or one they see; its members are others than the caller. */
export class CreateGroupCmd implements Command<UserGroupEntity> {
  readonly name = 'CreateGroup';

  constructor(private readonly input: GroupInput & { readonly tenantId?: string; readonly members?: readonly string[] }) {}

  async execute(context: CommandContext): Promise<UserGroupEntity> {
    const { session } = context;
    const { code, name, members = [] } = this.input;
    const tenantId = (await targetTenant(context, this.input.tenantId)).id;
    checkCode(code, GROUP_NOUN);
    await checkCodeFree(session, USER_GROUP, GROUP_NOUN, tenantId, code, null);
    const users = await usersOfTenant(session, tenantId, members);
    refuseOwnMembership(context.actor?.userId, { added: users.map((user) => user.id), removed: [] }, GROUP_NOUN);
    const group = session.insert(USER_GROUP, { id: context.newId(), rev: 1, tenantId, code, name, created: context.now() });
    for (const user of users) session.insert(GROUP_MEMBER, { id: context.newId(), groupId: group.id, userId: user.id });
    context.audit({ action: 'group.create', objectType: 'group', objectId: group.id, tenantId: group.tenantId, detail: { tenantId, code, name, members: users.map((user) => user.id) } });
    return group;
  }
}

/** Renames a group or changes its code (not while open tasks are offered to `group:<code>`); its tenant and members stay. */
export class UpdateGroupCmd implements Command<UserGroupEntity> {
  readonly name = 'UpdateGroup';

  constructor(
    private readonly groupId: string,
    private readonly input: GroupInput,
  ) {}

  async execute(context: CommandContext): Promise<UserGroupEntity> {
    const { session } = context;
    const group = await requireRow(session, USER_GROUP, this.groupId, GROUP_NOUN);
    if (this.input.code !== group.code) {
      checkCode(this.input.code, GROUP_NOUN);
      await checkCodeFree(session, USER_GROUP, GROUP_NOUN, group.tenantId, this.input.code, group.id);
      const tasks = await openTasksOfferedTo(session.sql, `group:${group.code}`, group.tenantId);
      if (tasks > 0) {
        throw new ConflictError(`用户组 ${group.name}(${group.code}) 仍有 ${tasks} 个待办任务，编码不能修改 (${tasks} open tasks are offered to 'group:${group.code}'; its code cannot change until they are done)`);
      }
    }
    const changed = applyChanges(group, { code: this.input.code, name: this.input.name });
    if (Object.keys(changed).length > 0) context.audit({ action: 'group.update', objectType: 'group', objectId: group.id, tenantId: group.tenantId, detail: changed });
    return group;
  }
}

/** Removes a group no open task is offered to, with its memberships. */
export class DeleteGroupCmd implements Command<void> {
  readonly name = 'DeleteGroup';

  constructor(private readonly groupId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const group = await requireRow(session, USER_GROUP, this.groupId, GROUP_NOUN);
    const remaining = describeRemaining([{ count: await openTasksOfferedTo(session.sql, `group:${group.code}`, group.tenantId), zh: '待办任务', en: 'open tasks' }]);
    if (remaining) throw new ConflictError(`用户组 ${group.name}(${group.code}) 不能删除：${remaining}`);
    session.delete(USER_GROUP, group);
    session.addStatement('DELETE FROM group_member WHERE group_id = $1', [group.id]);
    context.audit({ action: 'group.delete', objectType: 'group', objectId: group.id, tenantId: group.tenantId, detail: { tenantId: group.tenantId, code: group.code, name: group.name } });
  }
}

/** Sets a group's members: users of the group's tenant only, the caller's own membership left as it is. */
export class SetGroupMembersCmd implements Command<void> {
  readonly name = 'SetGroupMembers';

  constructor(
    private readonly groupId: string,
    private readonly userIds: readonly string[],
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const group = await requireRow(session, USER_GROUP, this.groupId, GROUP_NOUN);
    const users = await usersOfTenant(session, group.tenantId, this.userIds);
    const members = await session.select(GROUP_MEMBER, 'group_id = $1', [group.id]);
    refuseOwnMembership(context.actor?.userId, difference(members.map((row) => row.userId), users.map((user) => user.id)), GROUP_NOUN);
    const changes = replaceRows(members.map((row) => ({ row, key: row.userId })), users.map((user) => user.id), {
      add: (userId) => session.insert(GROUP_MEMBER, { id: context.newId(), groupId: group.id, userId }),
      remove: (row) => session.delete(GROUP_MEMBER, row),
    });
    context.audit({ action: 'group.members', objectType: 'group', objectId: group.id, tenantId: group.tenantId, detail: changes });
  }
}

export function findGroup(session: DbSession, id: string): Promise<UserGroupEntity> {
  return requireRow(session, USER_GROUP, id, GROUP_NOUN);
}
