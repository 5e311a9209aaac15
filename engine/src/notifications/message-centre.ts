import type { Command, CommandContext } from '../command/index.js';
import { NotFoundError } from '../errors/index.js';
import { formatTimestamp, NOTIFICATION, type DbSession, type NotificationEntity } from '../persistence/index.js';
import { Filter, orderAndPage, type Page } from '../services/query.js';

/** What a user's message list is filtered by. */
export interface MessageQuery extends Page {
  readonly unread?: boolean;
  readonly kind?: string;
}

function ownMessages(userId: string, query: MessageQuery): Filter {
  const filter = new Filter().equals('user_id', userId).equals('kind', query.kind);
  if (query.unread !== undefined) filter.isNull('read_time', query.unread);
  return filter;
}

/** The user's own messages, newest first. */
export function listMessages(session: DbSession, userId: string, query: MessageQuery): Promise<NotificationEntity[]> {
  const filter = ownMessages(userId, query);
  return session.select(NOTIFICATION, filter.where, filter.bindings, orderAndPage({ sortBy: 'created', sortOrder: 'desc' }, { created: 'create_time DESC, id' }, 'created', query));
}

export function countMessages(session: DbSession, userId: string, query: MessageQuery): Promise<number> {
  const filter = ownMessages(userId, query);
  return session.count(NOTIFICATION, filter.where, filter.bindings);
}

/**
 * Marks one of the actor's own messages read. Someone else's message is a 404, as if it did not
 * exist. The write is conditional (`read_time IS NULL`, bumping the revision), so reading a read
 * message, or two reads at once, answers the same and keeps the first reading time.
 */
export class MarkMessageReadCmd implements Command<void> {
  readonly name = 'MarkNotificationRead';

  constructor(private readonly notificationId: string) {}

  async execute(context: CommandContext): Promise<void> {
    const [message] = await context.session.select(NOTIFICATION, 'id = $1 AND user_id = $2', [this.notificationId, context.userId]);
    if (!message) throw new NotFoundError(`Notification '${this.notificationId}' does not exist`);
    if (message.readTime) return;
    context.session.addStatement('UPDATE notification SET read_time = $1, rev = rev + 1 WHERE id = $2 AND read_time IS NULL', [formatTimestamp(context.now()), message.id]);
  }
}

/** Marks every unread message of the actor read; answers how many were unread. */
export class MarkAllMessagesReadCmd implements Command<number> {
  readonly name = 'MarkAllNotificationsRead';

  async execute(context: CommandContext): Promise<number> {
    const unread = await context.session.count(NOTIFICATION, 'user_id = $1 AND read_time IS NULL', [context.userId]);
    if (unread > 0) {
      context.session.addStatement('UPDATE notification SET read_time = $1, rev = rev + 1 WHERE user_id = $2 AND read_time IS NULL', [formatTimestamp(context.now()), context.userId]);
    }
    return unread;
  }
}
