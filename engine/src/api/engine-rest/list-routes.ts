import type Router from '@koa/router';
import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';
import type { EngineServices } from '../../services/index.js';
import { parseDate } from './dates.js';
import { jsonBody, read, sendJson } from './http.js';
import { permit } from './permit.js';
import { pageParams, type Params as Parameters } from './listing.js';
import type { RestContext } from './rest-context.js';

export type { Parameters };

/**
 * One Camunda list resource: `GET <path>` and `GET <path>/count` with filters in the query string,
 * and (when `post`) `POST <path>` and `POST <path>/count` with the same filters as a JSON body and
 * `sorting: [{ sortBy, sortOrder }]`, paging staying in the query string as in Camunda.
 */
export interface ListResource<Q, E> {
  readonly path: string;
  readonly post: boolean;
  /** the permission every route of the resource needs */
  readonly permission: string;
  /**
   * The engine query from the request's filter parameters; unknown parameters are ignored, as in
   * Camunda. Paging and sorting are added to it (the service checks the sort key and answers 400).
   */
  filters(parameters: Parameters, rest: RestContext): Q;
  list(services: EngineServices, query: Q): Promise<E[]>;
  count(services: EngineServices, query: Q): Promise<number>;
  /** entities to Camunda's JSON, with what they need looked up once per page */
  toDtos(services: EngineServices, entities: E[], rest: RestContext): Promise<unknown[]>;
}

export function listRoutes<Q, E>(router: Router, rest: RestContext, resource: ListResource<Q, E>): void {
  const list = async (ctx: Context, parameters: Parameters, sorting: Parameters) => {
    const services = rest.services(ctx);
    const query = { ...resource.filters(parameters, rest), ...pageParams(ctx.query), ...sortingOf(sorting) } as Q;
    sendJson(ctx, await resource.toDtos(services, await resource.list(services, query), rest));
  };
  const count = async (ctx: Context, parameters: Parameters) => {
    sendJson(ctx, { count: await resource.count(rest.services(ctx), resource.filters(parameters, rest)) });
  };
  const permitted = permit(resource.permission);
  router.get(`${resource.path}/count`, permitted, (ctx) => count(ctx, ctx.query));
  router.get(resource.path, permitted, (ctx) => list(ctx, ctx.query, ctx.query));
  if (!resource.post) return;
  router.post(`${resource.path}/count`, permitted, (ctx) => count(ctx, jsonBody(ctx)));
  router.post(resource.path, permitted, (ctx) => {
    const body = jsonBody(ctx);
    return list(ctx, body, firstSorting(body.sorting));
  });
}

/**
 * Like `listing.ts`'s `sortParams`, but these resources' services take Camunda's sort names
 * themselves and answer 400 for an unknown one, so the name passes through unmapped.
 */
function sortingOf(parameters: Parameters): { sortBy?: string; sortOrder?: string } {
  const sortBy = read.string(parameters, 'sortBy');
  const sortOrder = read.string(parameters, 'sortOrder');
  if ((sortBy === undefined) !== (sortOrder === undefined)) throw new BadUserRequestError('Only a single sorting parameter specified. sortBy and sortOrder required');
  return sortBy === undefined ? {} : { sortBy, sortOrder };
}

/** The engine sorts by one key; of a POST's `sorting` list the first entry wins. */
function firstSorting(sorting: unknown): Parameters {
  if (sorting === undefined || sorting === null) return {};
  if (!Array.isArray(sorting) || sorting.some((entry) => !entry || typeof entry !== 'object')) {
    throw new BadUserRequestError("'sorting' must be an array of { sortBy, sortOrder }");
  }
  return (sorting[0] as Parameters | undefined) ?? {};
}

/** Readers for filters beyond `read`'s: dates in Camunda's format, and `true`-only flags. */
export const filter = {
  date(parameters: Parameters, name: string, rest: RestContext): Date | undefined {
    const text = read.string(parameters, name);
    return text === undefined ? undefined : parseDate(text, name, rest.timeZone);
  },
  /** Camunda's flags such as `finished`/`unfinished`: a pair of true-only switches becomes one boolean. */
  either(parameters: Parameters, yes: string, no: string): boolean | undefined {
    const wantYes = read.boolean(parameters, yes) === true;
    const wantNo = read.boolean(parameters, no) === true;
    if (wantYes && wantNo) throw new BadUserRequestError(`'${yes}' and '${no}' exclude each other`);
    return wantYes ? true : wantNo ? false : undefined;
  },
};
