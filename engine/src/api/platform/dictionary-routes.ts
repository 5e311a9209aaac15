import {
  CreateDictionaryCmd,
  CreateItemCmd,
  DeleteDictionaryCmd,
  DeleteItemCmd,
  getDictionary,
  getItem,
  listDictionaries,
  pickerItems,
  ReplaceItemsCmd,
  UpdateDictionaryCmd,
  UpdateItemCmd,
  type DictionaryChanges,
  type DictionaryInput,
  type DictionaryOwner,
  type DictionaryQuery,
  type ItemChanges,
  type ItemInput,
} from '../../dictionaries/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import type { DictionaryEntity } from '../../persistence/index.js';
import { adminCalls, type AdminRouteDeps } from './admin-calls.js';
import { CODE, NAME, PAGE, sortBy, TENANT_ID } from './admin-schemas.js';
import type { ApiCall, ApiRoutes, JsonSchema } from './routes.js';

/** Which dictionary of the code: `tenantId` names a tenant's, `shared=true` the shared one; neither: the one that applies to the caller. */
interface OwnerQuery {
  readonly tenantId?: string;
  readonly shared?: boolean;
}

const OWNER_QUERY: Record<string, JsonSchema> = {
  tenantId: TENANT_ID,
  shared: { type: 'boolean', description: 'the shared dictionary of the code, not a tenant\'s own' },
};
const NULLABLE_TEXT: JsonSchema = { type: 'string', maxLength: 255, nullable: true };
const EXTRA: JsonSchema = { type: 'object', nullable: true, description: "what the dictionary's users attach: a category's kind, time limits, a region's level" };
const ITEM_FIELDS: Record<string, JsonSchema> = {
  label: NAME,
  labelEn: NULLABLE_TEXT,
  parent: { ...CODE, nullable: true, description: "the parent item's code, in the same dictionary" },
  sortOrder: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  enabled: { type: 'boolean' },
  extra: EXTRA,
};
const ITEM_INPUT: JsonSchema = { type: 'object', required: ['code', 'label'], additionalProperties: false, properties: { code: CODE, ...ITEM_FIELDS } };
/** A bulk list: a region tree of a city (streets, communities, grids) fits in the 1 MB body limit. */
const ITEM_LIST: JsonSchema = { type: 'array', maxItems: 10_000, items: ITEM_INPUT };
const DICTIONARY_FIELDS: Record<string, JsonSchema> = {
  name: NAME,
  description: { type: 'string', maxLength: 1000, nullable: true },
  hierarchical: { type: 'boolean', description: 'items may have parents' },
};

const DICTIONARY: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string', nullable: true }, shared: { type: 'boolean' }, code: { type: 'string' }, name: { type: 'string' },
    description: { type: 'string', nullable: true }, hierarchical: { type: 'boolean' },
  },
};
const ITEM_PROPERTIES: Record<string, JsonSchema> = {
  code: { type: 'string' }, label: { type: 'string' }, labelEn: { type: 'string', nullable: true }, sortOrder: { type: 'integer' }, enabled: { type: 'boolean' },
  extra: { type: 'object', nullable: true },
};
const ITEM_NODE: JsonSchema = { type: 'object', properties: { ...ITEM_PROPERTIES, children: { type: 'array', items: { type: 'object', description: 'items of the same shape' } } } };
const ITEM: JsonSchema = {
  type: 'object',
  properties: { ...ITEM_PROPERTIES, parent: { type: 'string', nullable: true }, hasChildren: { type: 'boolean', description: 'enabled sub-items exist' } },
};
const DICTIONARY_DETAIL: JsonSchema = { type: 'object', properties: { ...DICTIONARY.properties, items: { type: 'array', items: ITEM_NODE } } };

/**
 * `/api/dictionaries`: code lists that forms and pickers use (case categories, the region and
 * grid tree). Dictionaries are named by code; every tenant sees the shared ones (kept by the
 * platform administrator) and its own, and its own of a code replaces the shared one for it.
 */
export function registerDictionaryRoutes(routes: ApiRoutes, deps: AdminRouteDeps): void {
  const calls = adminCalls(deps);
  const tag = 'dictionaries';
  const detail = (call: ApiCall<unknown, unknown>, dictionary: DictionaryEntity) => calls.read(call, (session) => getDictionary(session, dictionary.code, ownerOfRow(dictionary)));
  routes.add<DictionaryQuery, unknown>({
    method: 'get', path: '/dictionaries', tag, permission: 'dictionary:read', summary: "list the dictionaries the caller sees: the shared ones and their tenants' own",
    query: {
      type: 'object',
      properties: { tenantId: TENANT_ID, shared: { type: 'boolean', description: "true: only the shared dictionaries; false: only tenants' own" }, code: CODE, nameLike: { type: 'string' }, ...sortBy('code', 'name'), ...PAGE },
    },
    response: { type: 'array', items: DICTIONARY },
    handle: (call) => calls.read(call, (session) => listDictionaries(session, call.query)),
  });
  routes.add<unknown, DictionaryInput & { tenantId?: string; items?: ItemInput[] }>({
    method: 'post', path: '/dictionaries', tag, permission: 'dictionary:write', status: 201,
    summary: "create a dictionary, with its items (in the caller's tenant or one they name; the platform administrator's are shared unless they name a tenant)",
    body: { type: 'object', required: ['code', 'name'], additionalProperties: false, properties: { tenantId: TENANT_ID, code: CODE, ...DICTIONARY_FIELDS, items: ITEM_LIST } },
    response: DICTIONARY_DETAIL,
    handle: async (call) => detail(call, await calls.change(call, new CreateDictionaryCmd(call.body))),
  });
  routes.add<OwnerQuery, unknown>({
    method: 'get', path: '/dictionaries/{code}', tag, permission: 'dictionary:read', summary: 'read a dictionary with all its items as a tree',
    query: { type: 'object', properties: OWNER_QUERY },
    response: DICTIONARY_DETAIL,
    handle: (call) => calls.read(call, (session) => getDictionary(session, codeOf(call), ownerOf(call))),
  });
  routes.add<OwnerQuery, DictionaryChanges>({
    method: 'patch', path: '/dictionaries/{code}', tag, permission: 'dictionary:write', summary: 'rename a dictionary, describe it, or make it a tree or a list',
    query: { type: 'object', properties: OWNER_QUERY },
    body: { type: 'object', additionalProperties: false, properties: DICTIONARY_FIELDS },
    response: DICTIONARY_DETAIL,
    handle: async (call) => detail(call, await calls.change(call, new UpdateDictionaryCmd(codeOf(call), ownerOf(call), call.body))),
  });
  routes.add<OwnerQuery, unknown>({
    method: 'delete', path: '/dictionaries/{code}', tag, permission: 'dictionary:write', status: 204, summary: 'delete a dictionary with its items',
    query: { type: 'object', properties: OWNER_QUERY },
    handle: (call) => calls.change(call, new DeleteDictionaryCmd(codeOf(call), ownerOf(call))),
  });
  routes.add<OwnerQuery & { parent?: string }, unknown>({
    method: 'get', path: '/dictionaries/{code}/items', tag, permission: 'dictionary:read',
    summary: 'the enabled items under an item (`parent`, a code) or at the top: what a picker offers, one level at a time',
    query: { type: 'object', properties: { ...OWNER_QUERY, parent: CODE } },
    response: { type: 'array', items: ITEM },
    handle: (call) => calls.read(call, (session) => pickerItems(session, codeOf(call), ownerOf(call), call.query.parent)),
  });
  routes.add<OwnerQuery, ItemInput>({
    method: 'post', path: '/dictionaries/{code}/items', tag, permission: 'dictionary:write', status: 201, summary: 'add an item',
    query: { type: 'object', properties: OWNER_QUERY },
    body: ITEM_INPUT,
    response: ITEM,
    handle: async (call) => {
      const item = await calls.change(call, new CreateItemCmd(codeOf(call), ownerOf(call), call.body));
      return calls.read(call, (session) => getItem(session, codeOf(call), ownerOf(call), item.code));
    },
  });
  routes.add<OwnerQuery, { items: ItemInput[] }>({
    method: 'put', path: '/dictionaries/{code}/items', tag, permission: 'dictionary:write',
    summary: 'replace all items by a flat list (parents by code): listed codes are changed in place, new ones added, the others removed; all or nothing',
    query: { type: 'object', properties: OWNER_QUERY },
    body: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: ITEM_LIST } },
    response: { type: 'object', properties: { added: { type: 'integer' }, updated: { type: 'integer' }, removed: { type: 'integer' } } },
    handle: (call) => calls.change(call, new ReplaceItemsCmd(codeOf(call), ownerOf(call), call.body.items)),
  });
  routes.add<OwnerQuery, ItemChanges>({
    method: 'patch', path: '/dictionaries/{code}/items/{itemCode}', tag, permission: 'dictionary:write',
    summary: "change an item's label, parent (no cycles), order, state or extra data; its code stays",
    query: { type: 'object', properties: OWNER_QUERY },
    body: { type: 'object', additionalProperties: false, properties: ITEM_FIELDS },
    response: ITEM,
    handle: async (call) => {
      const item = await calls.change(call, new UpdateItemCmd(codeOf(call), ownerOf(call), call.params.itemCode as string, call.body));
      return calls.read(call, (session) => getItem(session, codeOf(call), ownerOf(call), item.code));
    },
  });
  routes.add<OwnerQuery, unknown>({
    method: 'delete', path: '/dictionaries/{code}/items/{itemCode}', tag, permission: 'dictionary:write', status: 204, summary: 'delete an item without sub-items',
    query: { type: 'object', properties: OWNER_QUERY },
    handle: (call) => calls.change(call, new DeleteItemCmd(codeOf(call), ownerOf(call), call.params.itemCode as string)),
  });
}

function codeOf(call: ApiCall<unknown, unknown>): string {
  return call.params.code as string;
}

function ownerOf(call: ApiCall<OwnerQuery, unknown>): DictionaryOwner {
  const { tenantId, shared } = call.query;
  if (tenantId !== undefined && shared) throw new BadUserRequestError('tenantId 与 shared=true 只能指定其一 (name a tenant or ask for the shared dictionary, not both)');
  if (shared) return { kind: 'shared' };
  if (tenantId !== undefined) return { kind: 'tenant', tenantId };
  return { kind: 'applies-in', tenantId: call.principal.tenantId };
}

function ownerOfRow(dictionary: DictionaryEntity): DictionaryOwner {
  return dictionary.tenantId === null ? { kind: 'shared' } : { kind: 'tenant', tenantId: dictionary.tenantId };
}
