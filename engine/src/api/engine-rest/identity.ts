import type Router from '@koa/router';
import { NotFoundError } from '../../errors/index.js';
import { PLATFORM_ADMIN_USER } from '../../identity/index.js';
import { read, sendJson } from './http.js';
import type { Parameters } from './list-routes.js';

/**
 * `/user`, `/group`, `/tenant` and `/identity/groups`, read-only, for Camunda tooling (Tasklist's
 * user lookups, Modeler). Until the identity issue brings the platform's users, groups and tenants,
 * the only account is the seeded `admin`, a member of no group and no tenant; these routes say
 * exactly that and nothing more.
 */
export function identityRoutes(router: Router): void {
  router.get('/user/count', (ctx) => sendJson(ctx, { count: matchingUsers(ctx.query).length }));
  router.get('/user', (ctx) => sendJson(ctx, page(matchingUsers(ctx.query), ctx.query)));
  router.get('/user/:id/profile', (ctx) => {
    const user = USERS.find((candidate) => candidate.id === ctx.params.id);
    if (!user) throw new NotFoundError(`User with id ${ctx.params.id} does not exist`);
    sendJson(ctx, user);
  });

  router.get('/group/count', (ctx) => sendJson(ctx, { count: 0 }));
  router.get('/group', (ctx) => sendJson(ctx, page([], ctx.query)));
  router.get('/group/:id', (ctx) => {
    throw new NotFoundError(`Group with id ${ctx.params.id} does not exist`);
  });

  router.get('/tenant/count', (ctx) => sendJson(ctx, { count: 0 }));
  router.get('/tenant', (ctx) => sendJson(ctx, page([], ctx.query)));
  router.get('/tenant/:id', (ctx) => {
    throw new NotFoundError(`Tenant with id ${ctx.params.id} does not exist`);
  });

  router.get('/identity/groups', (ctx) => {
    read.requiredString(ctx.query, 'userId');
    sendJson(ctx, { groups: [], groupUsers: [] });
  });
}

interface UserProfile {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
}

const USERS: readonly UserProfile[] = [{ id: PLATFORM_ADMIN_USER, firstName: null, lastName: null, email: null }];

/** The filters of Camunda's user query; membership filters match nobody, as nobody is a member of anything yet. */
function matchingUsers(parameters: Parameters): UserProfile[] {
  const id = read.string(parameters, 'id');
  const idIn = read.list(parameters, 'idIn');
  const firstName = read.string(parameters, 'firstName');
  const lastName = read.string(parameters, 'lastName');
  const email = read.string(parameters, 'email');
  const inSomething = read.string(parameters, 'memberOfGroup') !== undefined || read.string(parameters, 'memberOfTenant') !== undefined;
  return USERS.filter(
    (user) =>
      !inSomething &&
      (id === undefined || user.id === id) &&
      (idIn === undefined || idIn.includes(user.id)) &&
      (firstName === undefined || user.firstName === firstName) &&
      (lastName === undefined || user.lastName === lastName) &&
      (email === undefined || user.email === email),
  );
}

function page<T>(items: readonly T[], parameters: Parameters): T[] {
  const first = read.integer(parameters, 'firstResult') ?? 0;
  const max = read.integer(parameters, 'maxResults') ?? items.length;
  return items.slice(first, first + max);
}
