import type { Context, Next } from 'koa';
import { ForbiddenError } from '../../errors/index.js';
import { hasPermission, type Principal } from '../../identity/index.js';

/**
 * The permission a `/engine-rest` route needs, declared beside the route:
 * `router.get('/task', permit('task:read'), handler)`. Authentication has already run for the
 * whole router, so a missing principal cannot happen here; it is refused all the same.
 */
export function permit(permission: string) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal || !hasPermission(principal, permission)) {
      throw new ForbiddenError(`The user '${principal?.userId ?? 'anonymous'}' lacks the permission '${permission}' for ${ctx.method} ${ctx.path}`);
    }
    await next();
  };
}
