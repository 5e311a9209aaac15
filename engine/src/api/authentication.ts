import type { Context, Next } from 'koa';
import type { Actor, RequestKey } from '../command/index.js';
import { serviceCaller, type Principal } from '../identity/index.js';
import type { EngineServices, ProcessEngine } from '../services/index.js';

/** Proves who sent a request, from its `Authorization` header (Basic, a Bearer access token, or an API key). */
export interface RequestAuthenticator {
  /** the caller's principal, or null when the header is missing or its credentials are not good */
  principalOf(authorization: string, address: string | null): Promise<Principal | null>;
}

/**
 * Sets `ctx.state.principal` when the request carries good credentials. Routes decide what a
 * missing principal means: `/api` routes answer 401 unless declared public (so a client may call
 * `/api/auth/refresh` with its expired access token still attached), `/engine-rest` answers 401 on
 * every route (`requireCaller`).
 */
export function identifyCaller(authenticator: RequestAuthenticator) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const header = ctx.get('Authorization');
    if (header) {
      const principal = await authenticator.principalOf(header, ctx.ip || null);
      if (principal) ctx.state.principal = principal;
    }
    await next();
  };
}

/** 401 with a `WWW-Authenticate` challenge: what makes Camunda Modeler ask for credentials. */
export function sendUnauthenticated(ctx: Context): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'Basic realm="yiwang"');
  ctx.set('Content-Type', 'application/json');
  ctx.body = JSON.stringify({ type: 'AuthenticationException', message: 'Authentication required: sign in (Bearer access token), HTTP Basic with a platform account, or an API key' });
}

/** The engine services and actor for a request's caller: scoped queries, scoped and audited commands. */
export function callerOf(engine: ProcessEngine, principal: Principal, ctx: Context, requestKey?: RequestKey): { actor: Actor; services: EngineServices } {
  const plain = serviceCaller(principal, ctx.ip || null);
  const caller = requestKey ? { ...plain, actor: { ...(plain.actor as Actor), requestKey } } : plain;
  return { actor: caller.actor as Actor, services: engine.forCaller(caller) };
}
