import type { Context } from 'koa';
import { queryScope, type Principal } from '../../identity/index.js';
import type { RowScope } from '../../persistence/index.js';
import type { EngineServices, ProcessEngine } from '../../services/index.js';
import { callerOf } from '../authentication.js';

/** What every `/engine-rest` route needs: the engine acting for the authenticated caller, and the time zone for dates. */
export interface RestContext {
  readonly engine: ProcessEngine;
  readonly timeZone?: string;
  /** the services acting for the request's caller: queries see only their tenants' rows (and cases in their data scope), commands are audited */
  services(ctx: Context): EngineServices;
  /** the request caller's principal (authentication has run for the whole router) */
  principal(ctx: Context): Principal;
  /** the rows the request's caller may read, for routes that read tables themselves */
  scope(ctx: Context): RowScope | null;
}

export function restContext(engine: ProcessEngine, timeZone: string | undefined): RestContext {
  const principal = (ctx: Context): Principal => {
    const found = ctx.state.principal as Principal | undefined;
    // the router authenticates every request before any route runs
    if (!found) throw new Error(`${ctx.method} ${ctx.path} ran without an authenticated caller`);
    return found;
  };
  return {
    engine,
    timeZone,
    services: (ctx) => callerOf(engine, principal(ctx), ctx).services,
    principal,
    scope: (ctx) => queryScope(principal(ctx)),
  };
}
