import type Router from '@koa/router';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Context } from 'koa';
import type { OpenAPIV3 } from 'openapi-types';
import type { Actor, RequestKey } from '../../command/index.js';
import { BadUserRequestError, ForbiddenError } from '../../errors/index.js';
import { hasPermission, isCorePermission, PasswordChangeRequiredError, type Principal } from '../../identity/index.js';
import type { EngineServices } from '../../services/index.js';
import { sendJson, sendNoContent } from '../engine-rest/http.js';
import { callerOf, sendUnauthenticated } from '../authentication.js';
import { idempotent, type Answer } from './idempotency.js';
import type { ProcessEngine } from '../../services/index.js';

/** Routes anyone may call: login, health, the public portal. */
export const PUBLIC = 'public';
/** Routes any signed-in caller may call, whatever their roles: their own profile, logout. */
export const SIGNED_IN = 'signed-in';

export type JsonSchema = OpenAPIV3.SchemaObject;

/** The formats route schemas use: timestamps in filters and bodies are checked, not just declared. */
const FORMATS = { 'date-time': fullFormats['date-time'], date: fullFormats.date };

/** Longest string a query parameter may carry unless its schema says otherwise: filters are names and ids. */
const DEFAULT_QUERY_STRING_LIMIT = 200;

/**
 * One route of `/api`, declared with what it needs: the permission beside the handler, schemas
 * for query and body (validated before the handler runs: a 400 lists every problem), and what it
 * answers. The OpenAPI document at `/api/openapi.json` is generated from these declarations.
 */
export interface ApiRoute<Query = Record<string, unknown>, Body = unknown> {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/admin/users/{id}` */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  /** a catalogue permission (identity/permissions.ts), or PUBLIC or SIGNED_IN */
  readonly permission: string;
  /**
   * The route answers a caller who must change their password first (handed to them, or expired):
   * only what they need to change it, see who they are and sign out. Every other route answers
   * them 403 `PasswordChangeRequiredException`.
   */
  readonly allowedBeforePasswordChange?: true;
  readonly query?: JsonSchema;
  readonly body?: JsonSchema;
  readonly response?: JsonSchema;
  /** 200 by default; 204 answers no body */
  readonly status?: 200 | 201 | 204;
  /** a changing route that honours the Idempotency-Key header: a retry replays the first answer (idempotency.ts) */
  readonly idempotent?: true;
  handle(call: ApiCall<Query, Body>): Promise<unknown>;
}

export interface ApiCall<Query, Body> {
  readonly ctx: Context;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  readonly body: Body;
  /** the signed-in caller; routes other than PUBLIC always have one */
  readonly principal: Principal;
  /** what the caller's commands run as: scoped to their tenants, written to the audit log */
  readonly actor: Actor;
  /** engine services acting for the caller (scoped queries, audited commands) */
  readonly services: EngineServices;
}

/** The `/api` routes of every module, mounted on one router and described in one OpenAPI document. */
export class ApiRoutes {
  private readonly routes: { route: ApiRoute<never, never>; validateQuery?: ValidateFunction; validateBody?: ValidateFunction }[] = [];
  private readonly ajv = new Ajv({ allErrors: true, coerceTypes: false, strict: false, useDefaults: true, formats: FORMATS });
  private readonly queryAjv = new Ajv({ allErrors: true, coerceTypes: 'array', strict: false, useDefaults: true, formats: FORMATS });

  add<Query, Body>(route: ApiRoute<Query, Body>): this {
    if (route.permission !== PUBLIC && route.permission !== SIGNED_IN && !isCorePermission(route.permission)) {
      throw new Error(`${route.method.toUpperCase()} ${route.path} declares the unknown permission '${route.permission}'`);
    }
    this.routes.push({
      route: route as unknown as ApiRoute<never, never>,
      validateQuery: route.query ? this.queryAjv.compile(limitQueryStrings(route.query)) : undefined,
      validateBody: route.body ? this.ajv.compile(route.body) : undefined,
    });
    return this;
  }

  mount(router: Router, engine: ProcessEngine): void {
    for (const { route, validateQuery, validateBody } of this.routes) {
      router[route.method](koaPath(route.path), async (ctx) => {
        const principal = ctx.state.principal as Principal | undefined;
        if (route.permission !== PUBLIC) {
          if (!principal) return sendUnauthenticated(ctx);
          if (principal.passwordChangeRequired && !route.allowedBeforePasswordChange) throw new PasswordChangeRequiredError();
          if (route.permission !== SIGNED_IN && !hasPermission(principal, route.permission)) {
            throw new ForbiddenError(`The permission '${route.permission}' is required to ${route.summary}`);
          }
        }
        const query = { ...ctx.query } as Record<string, unknown>;
        if (validateQuery && !validateQuery(query)) throw invalid('query parameter', validateQuery.errors);
        const body = (ctx.request as { body?: unknown }).body ?? {};
        if (validateBody && !validateBody(body)) throw invalid('request body', validateBody.errors);
        const handle = async (requestKey?: RequestKey): Promise<Answer> => {
          const caller = principal ? callerOf(engine, principal, ctx, requestKey) : null;
          const result = await route.handle({
            ctx,
            params: ctx.params,
            query: query as never,
            body: body as never,
            principal: principal as Principal,
            actor: caller?.actor as Actor,
            services: caller?.services ?? engine,
          });
          return { status: route.status ?? 200, body: route.status === 204 ? undefined : result };
        };
        const answer = route.idempotent && principal ? await idempotent(engine, ctx, principal.userId, handle) : await handle();
        if (answer.status === 204) sendNoContent(ctx);
        else if (ctx.body === undefined || ctx.body === null) sendJson(ctx, answer.body, answer.status);
      });
    }
  }

  openApi(info: { title: string; version: string }): OpenAPIV3.Document {
    const paths: OpenAPIV3.PathsObject = {};
    for (const { route } of this.routes) {
      const item = (paths[route.path] ??= {}) as Record<string, OpenAPIV3.OperationObject>;
      const forbidden = forbiddenReasons(route);
      item[route.method] = {
        tags: [route.tag],
        summary: route.summary,
        description: describeAccess(route),
        security: route.permission === PUBLIC ? [] : [{ bearer: [] }],
        parameters: [...pathParameters(route.path), ...queryParameters(route.query), ...(route.idempotent ? [IDEMPOTENCY_PARAMETER] : [])],
        requestBody: route.body ? { required: true, content: { 'application/json': { schema: route.body } } } : undefined,
        responses: {
          [String(route.status ?? 200)]: { description: 'OK', content: route.status === 204 || !route.response ? undefined : { 'application/json': { schema: route.response } } },
          400: { description: 'invalid input: `{ type, message }` naming the problem' },
          ...(route.permission === PUBLIC ? {} : { 401: { description: 'not signed in' } }),
          ...(forbidden.length > 0 ? { 403: { description: forbidden.join(', or ') } } : {}),
        },
      };
    }
    return {
      openapi: '3.0.3',
      info,
      paths,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an access token from /api/auth/login, or an API key' } } },
    };
  }
}

function describeAccess(route: ApiRoute<never, never>): string {
  if (route.permission === PUBLIC) return 'Public.';
  const who = route.permission === SIGNED_IN ? 'Any signed-in caller.' : `Requires the permission \`${route.permission}\`.`;
  return route.allowedBeforePasswordChange ? `${who} Answers also while the caller must change their password first.` : who;
}

/** Why a route may answer 403: none for public routes, nor for the signed-in routes a password change leaves open. */
function forbiddenReasons(route: ApiRoute<never, never>): string[] {
  if (route.permission === PUBLIC) return [];
  return [
    ...(route.permission === SIGNED_IN ? [] : ['permission missing']),
    ...(route.allowedBeforePasswordChange ? [] : ['the caller must change their password first (`PasswordChangeRequiredException`)']),
  ];
}

const IDEMPOTENCY_PARAMETER: OpenAPIV3.ParameterObject = {
  name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
  description: 'a key the client chooses per operation: a retry with the same key answers as the first request did (header Idempotency-Replayed: true), without acting again',
};

function koaPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function pathParameters(path: string): OpenAPIV3.ParameterObject[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name: name as string, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(schema: JsonSchema | undefined): OpenAPIV3.ParameterObject[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

/** Every string property of a query schema gets a length limit, so an oversized filter is a 400 before it reaches SQL. */
function limitQueryStrings(schema: JsonSchema): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const p = property as JsonSchema;
      return [name, p.type === 'string' && p.maxLength === undefined ? { ...p, maxLength: DEFAULT_QUERY_STRING_LIMIT } : p];
    }),
  );
  return { ...schema, type: 'object', properties, additionalProperties: schema.additionalProperties ?? false };
}

function invalid(what: string, errors: ErrorObject[] | null | undefined): BadUserRequestError {
  const problems = (errors ?? []).map((error) => {
    const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '';
    if (error.keyword === 'additionalProperties') return `unknown ${what} '${String(error.params.additionalProperty)}'`;
    if (error.keyword === 'required') return `${what} '${[where, String(error.params.missingProperty)].filter(Boolean).join('.')}' is required`;
    return `${what} '${where}' ${error.message ?? 'is invalid'}`;
  });
  return new BadUserRequestError(`Invalid ${what}: ${problems.join('; ')}`);
}
