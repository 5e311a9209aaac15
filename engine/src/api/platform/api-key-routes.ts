import { queryScope } from '../../identity/index.js';
import type { ApiKeyQuery, Authentication, NewApiKey } from '../../identity/authentication/index.js';
import type { ApiRoutes, JsonSchema } from './routes.js';

/** What the API key routes need. */
export interface ApiKeyRouteDeps {
  readonly authentication: Authentication;
}

const USER_ID: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9._-]{2,64}$', maxLength: 64 };
const TENANT_ID: JsonSchema = { type: 'string', pattern: '^[0-9A-Za-z-]{1,32}$', maxLength: 32 };

const API_KEY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    userId: { type: 'string' },
    tenantId: { type: 'string', nullable: true },
    permissions: { type: 'array', items: { type: 'string' }, nullable: true, description: "null: whatever the key's user may do at each request (only on a user's own keys)" },
    created: { type: 'string', format: 'date-time' },
    expires: { type: 'string', format: 'date-time', nullable: true },
    lastUsed: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** `/api/admin/api-keys`: keys for machine clients, each acting for a user, narrowed to a tenant and permissions. */
export function registerApiKeyRoutes(routes: ApiRoutes, { authentication }: ApiKeyRouteDeps): void {
  routes.add<ApiKeyQuery, unknown>({
    method: 'get',
    path: '/admin/api-keys',
    tag: 'api-keys',
    summary: "list the API keys of the caller's tenants",
    permission: 'api-key:read',
    query: { type: 'object', properties: { userId: USER_ID, firstResult: { type: 'integer', minimum: 0 }, maxResults: { type: 'integer', minimum: 0, maximum: 1000 } } },
    response: { type: 'array', items: API_KEY },
    handle: ({ principal, query }) => authentication.apiKeys.list(queryScope(principal), query),
  });

  routes.add<unknown, Partial<NewApiKey> & Pick<NewApiKey, 'name'>>({
    method: 'post',
    path: '/admin/api-keys',
    tag: 'api-keys',
    summary: 'create an API key (the answer shows the key, once)',
    permission: 'api-key:write',
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        userId: { ...USER_ID, description: 'the user the key acts for, the caller or one no more powerful than them (else 403); default: the caller' },
        tenantId: { ...TENANT_ID, description: "the tenant the key acts in, one its user sees; default: the user's own" },
        permissions: {
          type: 'array', maxItems: 200, items: { type: 'string', maxLength: 128 }, nullable: true,
          description: "a subset of the user's; null or absent: all of them — as they are at each request for a key of one's own, as they are now for another user's (written on the key)",
        },
        expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
    },
    response: { ...API_KEY, properties: { ...API_KEY.properties, key: { type: 'string', description: 'shown only now: `Authorization: Bearer <key>`' } } },
    status: 201,
    handle: ({ principal, actor, body }) => authentication.apiKeys.create({ ...body, userId: body.userId ?? principal.userId }, actor, principal),
  });

  routes.add({
    method: 'delete',
    path: '/admin/api-keys/{id}',
    tag: 'api-keys',
    summary: 'revoke an API key: requests with it are refused from then on',
    permission: 'api-key:write',
    status: 204,
    handle: ({ params, actor }) => authentication.apiKeys.revoke(params.id as string, actor),
  });
}
