import type { Command, CommandContext } from '../../command/index.js';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { formatTimestamp, USER } from '../../persistence/index.js';

/**
 * A user's new password: stored, the must-change flag cleared, and every other session of the
 * user revoked (whoever knew the old password is signed out). `keepSessionId` is the session the
 * change was made from, if any.
 */
export class ChangePasswordCmd implements Command<void> {
  readonly name = 'ChangePassword';

  constructor(
    private readonly userId: string,
    /** the hash the current password was checked against: a change made meanwhile is a conflict */
    private readonly checkedHash: string | null,
    private readonly newHash: string,
    private readonly keepSessionId: string | null,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const user = await context.session.findById(USER, this.userId);
    if (!user) throw new NotFoundError(`用户不存在 (user '${this.userId}' does not exist)`);
    if (user.passwordHash !== this.checkedHash) throw new ConflictError('密码刚被修改过，请重试 (the password was changed meanwhile; try again)');
    Object.assign(user, { passwordHash: this.newHash, passwordChanged: context.now(), mustChangePassword: false });
    const revoke = 'UPDATE auth_session SET revoked = $1 WHERE user_id = $2 AND revoked IS NULL';
    const bind = [formatTimestamp(context.now()), user.id];
    if (this.keepSessionId === null) context.session.addStatement(revoke, bind);
    else context.session.addStatement(`${revoke} AND id <> $3`, [...bind, this.keepSessionId]);
    context.audit({ action: 'user.password-change', objectType: 'user', objectId: user.id });
  }
}
