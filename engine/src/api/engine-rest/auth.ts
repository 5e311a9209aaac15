import type { Context, Next } from 'koa';
import { PasswordChangeRequiredError, type Principal } from '../../identity/index.js';
import { identifyCaller, sendUnauthenticated, type RequestAuthenticator } from '../authentication.js';

/**
 * Every `/engine-rest` route needs a caller (HTTP Basic with a platform account, a Bearer access
 * token or an API key): without one, 401 with the `WWW-Authenticate` challenge that makes Camunda
 * Modeler ask for credentials. A person who must change their password first gets 403 on every
 * route (the change is made through `/api/auth/password`); API keys are never held back. The
 * principal goes to `ctx.state.principal`, its stored user id to `ctx.state.userId`.
 */
export function requireCaller(authenticator: RequestAuthenticator) {
  const identify = identifyCaller(authenticator);
  return (ctx: Context, next: Next): Promise<void> =>
    identify(ctx, async () => {
      const principal = ctx.state.principal as Principal | undefined;
      if (!principal) return sendUnauthenticated(ctx);
      if (principal.passwordChangeRequired) throw new PasswordChangeRequiredError();
      ctx.state.userId = principal.userId;
      await next();
    });
}
