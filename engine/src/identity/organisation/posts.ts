import type { Command, CommandContext } from '../../command/index.js';
import { ConflictError } from '../../errors/index.js';
import { POST, type DbSession, type PostEntity } from '../../persistence/index.js';
import { applyChanges, checkCode, checkCodeFree, countUnscoped, remainingParts, NOUNS, openTasksOfferedTo, requireRow, requireTenant, targetTenant } from './rules.js';

export interface PostView {
  readonly id: string;
  readonly tenantId: string;
  readonly code: string;
  readonly name: string;
  readonly created: Date;
}

export function postView(post: PostEntity): PostView {
  const { id, tenantId, code, name, created } = post;
  return { id, tenantId, code, name, created };
}

/** The posts of a tenant the caller sees, by code. */
export async function listPosts(session: DbSession, tenantId: string): Promise<PostView[]> {
  await requireTenant(session, tenantId);
  return (await session.select(POST, 'tenant_id = $1', [tenantId], 'ORDER BY code, id')).map(postView);
}

export async function getPost(session: DbSession, id: string): Promise<PostView> {
  return postView(await requireRow(session, POST, id, NOUNS.post));
}

export class CreatePostCmd implements Command<PostView> {
  readonly name = 'CreatePost';

  constructor(private readonly input: { readonly tenantId?: string | null; readonly code: string; readonly name: string }) {}

  async execute(context: CommandContext): Promise<PostView> {
    const { code, name } = this.input;
    const tenant = await targetTenant(context, this.input.tenantId);
    checkCode(code, NOUNS.post);
    await checkCodeFree(context.session, POST, NOUNS.post, tenant.id, code, null);
    const post = context.session.insert(POST, { id: context.newId(), rev: 1, tenantId: tenant.id, code, name, created: context.now() });
    context.audit({ action: 'post.create', objectType: 'post', objectId: post.id, tenantId: post.tenantId, detail: { tenantId: tenant.id, code, name } });
    return postView(post);
  }
}

export class UpdatePostCmd implements Command<PostView> {
  readonly name = 'UpdatePost';

  constructor(
    private readonly id: string,
    private readonly changes: { readonly code?: string; readonly name?: string },
  ) {}

  async execute(context: CommandContext): Promise<PostView> {
    const post = await requireRow(context.session, POST, this.id, NOUNS.post);
    const { code } = this.changes;
    if (code !== undefined && code !== post.code) {
      checkCode(code, NOUNS.post);
      await checkCodeFree(context.session, POST, NOUNS.post, post.tenantId, code, post.id);
      const tasks = await openTasksOfferedTo(context.session.sql, `post:${post.code}`, post.tenantId);
      if (tasks > 0) {
        throw new ConflictError(`岗位 ${post.name}(${post.code}) 仍有 ${tasks} 个待办任务，编码不能修改 (${tasks} open tasks are offered to 'post:${post.code}'; its code cannot change until they are done)`);
      }
    }
    const changed = applyChanges(post, this.changes);
    if (Object.keys(changed).length > 0) context.audit({ action: 'post.update', objectType: 'post', objectId: post.id, tenantId: post.tenantId, detail: changed });
    return postView(post);
  }
}

/** Deletes a post nobody holds and no open task is offered to. */
export class DeletePostCmd implements Command<void> {
  readonly name = 'DeletePost';

  constructor(private readonly id: string) {}

  async execute(context: CommandContext): Promise<void> {
    const { session } = context;
    const post = await requireRow(session, POST, this.id, NOUNS.post);
    const remaining = remainingParts([
      { count: await countUnscoped(session.sql, 'SELECT COUNT(*) AS n FROM user_post WHERE post_id = $1', [post.id]), zh: '用户', en: 'holders' },
      { count: await openTasksOfferedTo(session.sql, `post:${post.code}`, post.tenantId), zh: '待办任务', en: 'open tasks' },
    ]);
    if (remaining) throw new ConflictError(`岗位 ${post.name}(${post.code}) 不能删除：仍有 ${remaining.zh} (post '${post.code}' cannot be deleted: ${remaining.en} remain)`);
    session.delete(POST, post);
    context.audit({ action: 'post.delete', objectType: 'post', objectId: post.id, tenantId: post.tenantId, detail: { tenantId: post.tenantId, code: post.code, name: post.name } });
  }
}
