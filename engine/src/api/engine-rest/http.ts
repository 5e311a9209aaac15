import type { Context } from 'koa';
import { BadUserRequestError } from '../../errors/index.js';

/**
 * Answers with JSON and `Content-Type: application/json` exactly: camunda-external-task-client-js
 * compares the header with `===` and treats anything else (koa's default adds a charset) as binary.
 */
export function sendJson(ctx: Context, body: unknown, status = 200): void {
  ctx.status = status;
  ctx.set('Content-Type', 'application/json');
  ctx.body = JSON.stringify(body);
}

export function sendNoContent(ctx: Context): void {
  ctx.status = 204;
  ctx.body = null;
}

/** The parsed JSON body as an object (an empty body is `{}`); anything else is a 400 naming the problem. */
export function jsonBody(ctx: Context): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadUserRequestError('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Longest text a parameter may carry. Ids, names and keys are far shorter; a longer value is a
 * mistake or an attack, refused before it reaches a query. (Variable values are not parameters.)
 */
const MAX_PARAMETER_LENGTH = 4000;

/** Query string and JSON body parameters share these readers, so both give the same 400s. */
export const read = {
  string(source: Record<string, unknown>, name: string): string | undefined {
    const value = source[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new BadUserRequestError(`'${name}' must be a string`);
    if (value.length > MAX_PARAMETER_LENGTH) throw new BadUserRequestError(`'${name}' is longer than ${MAX_PARAMETER_LENGTH} characters`);
    return value;
  },
  requiredString(source: Record<string, unknown>, name: string): string {
    const value = read.string(source, name);
    if (value === undefined) throw new BadUserRequestError(`'${name}' is required`);
    return value;
  },
  integer(source: Record<string, unknown>, name: string): number | undefined {
    const value = source[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) throw new BadUserRequestError(`'${name}' must be an integer, got '${String(value)}'`);
    return number;
  },
  boolean(source: Record<string, unknown>, name: string): boolean | undefined {
    const value = source[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new BadUserRequestError(`'${name}' must be true or false, got '${String(value)}'`);
  },
  /** `a,b,c` in a query string, or a JSON array of strings */
  list(source: Record<string, unknown>, name: string): string[] | undefined {
    const value = source[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return read.list({ [name]: value.split(',').map((part) => part.trim()).filter(Boolean) }, name);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      if (value.some((item: string) => item.length > MAX_PARAMETER_LENGTH)) throw new BadUserRequestError(`an item of '${name}' is longer than ${MAX_PARAMETER_LENGTH} characters`);
      return value as string[];
    }
    throw new BadUserRequestError(`'${name}' must be a comma-separated list or an array of strings`);
  },
};
