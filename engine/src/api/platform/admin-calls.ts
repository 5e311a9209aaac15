import type { Command } from '../../command/index.js';
import type { Principals } from '../../identity/index.js';
import { changeOrganisation, readAs } from '../../identity/roles/index.js';
import type { DbSession } from '../../persistence/index.js';
import type { ProcessEngine } from '../../services/index.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

/** What the admin routes (organisation, roles, groups, audit log) need: the engine, and the principals to forget after a change. */
export interface AdminRouteDeps {
  readonly engine: ProcessEngine;
  readonly principals?: Principals;
}

/** Runs a route's reads and commands for its caller. */
export interface AdminCalls {
  /** `work` on a session scoped to what the caller may see */
  read<T>(call: ApiCall<unknown, unknown>, work: (session: DbSession) => Promise<T>): Promise<T>;
  /** one audited command for the caller; cached principals are forgotten afterwards */
  change<T>(call: ApiCall<unknown, unknown>, command: Command<T>): Promise<T>;
  /** a command that creates or changes a row, answered with the row as `detail` reads it once committed */
  changeAndRead<T>(call: ApiCall<unknown, unknown>, command: Command<{ readonly id: string }>, detail: (session: DbSession, id: string) => Promise<T>): Promise<T>;
}

export function adminCalls({ engine, principals }: AdminRouteDeps): AdminCalls {
  const calls: AdminCalls = {
    read: (call, work) => readAs(engine.database, call.principal, work),
    change: (call, command) => changeOrganisation(engine.commandExecutor, command, call.actor, principals),
    async changeAndRead(call, command, detail) {
      const { id } = await calls.change(call, command);
      return calls.read(call, (session) => detail(session, id));
    },
  };
  return calls;
}

const COUNT: JsonSchema = { type: 'object', properties: { count: { type: 'integer' } } };

/** A list route and its `/count`, under the same filters. */
export interface ListAndCount<Query> {
  /** the list's path; the count answers at `<path>/count` */
  readonly path: string;
  readonly tag: string;
  readonly permission: string;
  readonly summaries: { readonly list: string; readonly count: string };
  /** the filters, taken by both routes */
  readonly query: JsonSchema;
  readonly item: JsonSchema;
  list(session: DbSession, query: Query): Promise<readonly unknown[]>;
  count(session: DbSession, query: Query): Promise<number>;
}

/** Declares `GET <path>` (the items) and `GET <path>/count` (`{ count }`), both read through the caller's scope. */
export function addListAndCount<Query>(routes: ApiRoutes, calls: AdminCalls, declaration: ListAndCount<Query>): void {
  const { path, tag, permission, summaries, query } = declaration;
  routes.add<Query, unknown>({
    method: 'get', path, tag, summary: summaries.list, permission, query,
    response: { type: 'array', items: declaration.item },
    handle: (call) => calls.read(call, (session) => declaration.list(session, call.query)),
  });
  routes.add<Query, unknown>({
    method: 'get', path: `${path}/count`, tag, summary: summaries.count, permission, query,
    response: COUNT,
    handle: async (call) => ({ count: await calls.read(call, (session) => declaration.count(session, call.query)) }),
  });
}
