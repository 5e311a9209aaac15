import type { Context } from 'koa';
import type { EngineServices, ProcessEngine } from '../../services/index.js';

/** What every `/engine-rest` route needs: the engine acting for the authenticated user, and the time zone for dates. */
export interface RestContext {
  readonly engine: ProcessEngine;
  readonly timeZone?: string;
  /** the services acting for the request's authenticated user (recorded in history and the operation log) */
  services(ctx: Context): EngineServices;
}

export function restContext(engine: ProcessEngine, timeZone: string | undefined): RestContext {
  return { engine, timeZone, services: (ctx) => engine.forUser(typeof ctx.state.userId === 'string' ? ctx.state.userId : null) };
}
