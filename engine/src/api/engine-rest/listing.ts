import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';
import { read } from './http.js';

/** A list endpoint's parameters: the query string on GET, the JSON body on the POST twins. */
export type Params = Record<string, unknown>;

/** `firstResult` and `maxResults`. */
export function pageParams(params: Params): { firstResult?: number; maxResults?: number } {
  return { firstResult: read.integer(params, 'firstResult'), maxResults: read.integer(params, 'maxResults') };
}

/**
 * `sortBy` (Camunda's name, mapped to the service's sort key) and `sortOrder`. As in Camunda, one
 * without the other is a 400, and so is an unknown name.
 */
export function sortParams<K extends string>(params: Params, keys: Readonly<Record<string, K>>): { sortBy?: K; sortOrder?: 'asc' | 'desc' } {
  const sortBy = read.string(params, 'sortBy');
  const sortOrder = read.string(params, 'sortOrder');
  if (sortBy === undefined && sortOrder === undefined) return {};
  if (sortBy === undefined || sortOrder === undefined) throw new BadUserRequestError('Only a single sorting parameter specified: sortBy and sortOrder are required together');
  if (!Object.hasOwn(keys, sortBy)) throw new BadUserRequestError(`Cannot set query parameter 'sortBy' to value '${sortBy}': use one of ${Object.keys(keys).join(', ')}`);
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw new BadUserRequestError(`Cannot set query parameter 'sortOrder' to value '${sortOrder}': use asc or desc`);
  return { sortBy: keys[sortBy], sortOrder };
}

/** Camunda's `links` entry pointing at the resource itself. */
export function selfLink(ctx: Context, path: string): { method: string; href: string; rel: string }[] {
  return [{ method: 'GET', href: `${ctx.protocol}://${ctx.host}/engine-rest${path}`, rel: 'self' }];
}

/** The query string as parameters (a repeated parameter stays an array, which the readers refuse). */
export function queryParams(ctx: Context): Params {
  return ctx.query as Params;
}
