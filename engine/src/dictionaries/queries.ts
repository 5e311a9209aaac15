import { notFound } from '../identity/organisation/rules.js';
import { DICTIONARY, DICTIONARY_ITEM, placeholders, type DbSession, type DictionaryEntity, type DictionaryItemEntity } from '../persistence/index.js';
import { Filter, orderAndPage, type Page, type Sorting } from '../services/query.js';
import { findDictionary, ITEM_NOUN, requireDictionary, type DictionaryOwner } from './owner.js';

export type DictionarySortKey = 'code' | 'name';

const DICTIONARY_SORT: Record<DictionarySortKey, string> = { code: 'code', name: 'name' };

export interface DictionaryQuery extends Page, Sorting<DictionarySortKey> {
  readonly tenantId?: string;
  /** true: only the shared dictionaries; false: only tenants' own */
  readonly shared?: boolean;
  readonly code?: string;
  /** a LIKE pattern (`%类别%`) */
  readonly nameLike?: string;
}

export interface DictionaryView {
  readonly id: string;
  readonly tenantId: string | null;
  /** no tenant: every tenant sees it, unless it has its own of the code */
  readonly shared: boolean;
  readonly code: string;
  readonly name: string;
  readonly description: string | null;
  readonly hierarchical: boolean;
}

interface ItemFields {
  readonly code: string;
  readonly label: string;
  readonly labelEn: string | null;
  readonly sortOrder: number;
  readonly enabled: boolean;
  readonly extra: Record<string, unknown> | null;
}

/** An item in a tree, with its sub-items in order. */
export interface ItemNode extends ItemFields {
  readonly children: ItemNode[];
}

/** An item as pickers list it. */
export interface ItemView extends ItemFields {
  readonly parent: string | null;
  /** whether enabled sub-items exist: a cascading picker asks for them */
  readonly hasChildren: boolean;
}

export interface DictionaryDetail extends DictionaryView {
  /** every item, disabled ones too, as a tree (a flat list for a dictionary that is not hierarchical) */
  readonly items: ItemNode[];
}

/** The dictionaries the session sees: its tenants' own and the shared ones. */
export async function listDictionaries(session: DbSession, query: DictionaryQuery): Promise<DictionaryView[]> {
  const filter = dictionaryFilter(query);
  const rows = await session.select(DICTIONARY, filter.where, filter.bindings, orderAndPage(query, DICTIONARY_SORT, 'code', query));
  return rows.map(dictionaryView);
}

export function countDictionaries(session: DbSession, query: DictionaryQuery): Promise<number> {
  const filter = dictionaryFilter(query);
  return session.count(DICTIONARY, filter.where, filter.bindings);
}

function dictionaryFilter(query: DictionaryQuery): Filter {
  return new Filter().equals('tenant_id', query.tenantId).isNull('tenant_id', query.shared).equals('code', query.code).like('name', query.nameLike);
}

/** A dictionary with all its items as a tree. */
export async function getDictionary(session: DbSession, code: string, owner: DictionaryOwner): Promise<DictionaryDetail> {
  const dictionary = await requireDictionary(session, code, owner);
  const items = await session.select(DICTIONARY_ITEM, 'dictionary_id = $1', [dictionary.id], 'ORDER BY sort_order, code');
  return { ...dictionaryView(dictionary), items: tree(items) };
}

/**
 * The enabled items under `parent` (an item code), or the top-level ones: what a picker offers,
 * one level at a time (行政区划 → 街道 → 社区 → 网格).
 */
export async function pickerItems(session: DbSession, code: string, owner: DictionaryOwner, parent: string | undefined): Promise<ItemView[]> {
  const dictionary = await requireDictionary(session, code, owner);
  const parentItem = parent === undefined ? null : await requireItem(session, dictionary, parent);
  const items = parentItem
    ? await session.select(DICTIONARY_ITEM, 'dictionary_id = $1 AND parent_id = $2 AND enabled = $3', [dictionary.id, parentItem.id, 1], 'ORDER BY sort_order, code')
    : await session.select(DICTIONARY_ITEM, 'dictionary_id = $1 AND parent_id IS NULL AND enabled = $2', [dictionary.id, 1], 'ORDER BY sort_order, code');
  const withChildren = await parentsAmong(session, dictionary, items);
  return items.map((item) => ({ ...itemFields(item), parent: parent ?? null, hasChildren: withChildren.has(item.id) }));
}

/** One item, as pickers list it. */
export async function getItem(session: DbSession, code: string, owner: DictionaryOwner, itemCode: string): Promise<ItemView> {
  const dictionary = await requireDictionary(session, code, owner);
  const item = await requireItem(session, dictionary, itemCode);
  const parent = item.parentId ? await session.findById(DICTIONARY_ITEM, item.parentId) : null;
  const withChildren = await parentsAmong(session, dictionary, [item]);
  return { ...itemFields(item), parent: parent?.code ?? null, hasChildren: withChildren.has(item.id) };
}

async function requireItem(session: DbSession, dictionary: DictionaryEntity, code: string): Promise<DictionaryItemEntity> {
  const [item] = (await session.select(DICTIONARY_ITEM, 'dictionary_id = $1 AND code = $2', [dictionary.id, code])).filter((found) => found.code === code);
  if (!item) throw notFound(ITEM_NOUN, `${dictionary.code}/${code}`);
  return item;
}

/** Which of `items` have enabled sub-items (rows of the dictionary the session just read). */
async function parentsAmong(session: DbSession, dictionary: DictionaryEntity, items: readonly DictionaryItemEntity[]): Promise<Set<string>> {
  if (items.length === 0 || !dictionary.hierarchical) return new Set();
  const ids = items.map((item) => item.id);
  const rows = await session.sql.select(
    `SELECT DISTINCT parent_id FROM dictionary_item WHERE dictionary_id = $1 AND enabled = $2 AND parent_id IN (${placeholders(ids.length, 2)})`,
    [dictionary.id, 1, ...ids],
  );
  return new Set(rows.map((row) => String(row.parent_id)));
}

/**
 * The items of the dictionary `dictionaryCode` whose codes are among `codes` (exactly, enabled
 * or not: a value chosen before an item was disabled stays valid). `tenantId` names the tenant
 * whose dictionary applies — its own of the code, else the shared one; undefined: every
 * dictionary of the code the session sees. For server-side validation of `yw-dictionary` and
 * `yw-region` values; a region value's levels are consistent when each item's `parentId` is the
 * id of the level above.
 */
export async function findDictionaryItems(session: DbSession, dictionaryCode: string, codes: readonly string[], tenantId?: string | null): Promise<DictionaryItemEntity[]> {
  if (codes.length === 0) return [];
  const dictionaries =
    tenantId === undefined
      ? (await session.select(DICTIONARY, 'code = $1', [dictionaryCode])).filter((dictionary) => dictionary.code === dictionaryCode)
      : [await findDictionary(session, dictionaryCode, { kind: 'applies-in', tenantId })].filter((dictionary) => dictionary !== null);
  if (dictionaries.length === 0) return [];
  const distinct = [...new Set(codes)];
  const ids = dictionaries.map((dictionary) => dictionary.id);
  const items = await session.select(
    DICTIONARY_ITEM,
    `dictionary_id IN (${placeholders(ids.length)}) AND code IN (${placeholders(distinct.length, ids.length)})`,
    [...ids, ...distinct],
  );
  const wanted = new Set(distinct);
  return items.filter((item) => wanted.has(item.code));
}

/** The codes among `codes` that are no item of the dictionary (see `findDictionaryItems`); [] when all are. */
export async function dictionaryItemsExist(session: DbSession, dictionaryCode: string, codes: readonly string[], tenantId?: string | null): Promise<string[]> {
  const found = new Set((await findDictionaryItems(session, dictionaryCode, codes, tenantId)).map((item) => item.code));
  return [...new Set(codes)].filter((code) => !found.has(code));
}

export function dictionaryView(dictionary: DictionaryEntity): DictionaryView {
  const { id, tenantId, code, name, description, hierarchical } = dictionary;
  return { id, tenantId, shared: tenantId === null, code, name, description, hierarchical };
}

function itemFields(item: DictionaryItemEntity): ItemFields {
  return { code: item.code, label: item.label, labelEn: item.labelEn, sortOrder: item.sortOrder, enabled: item.enabled, extra: item.extra };
}

/** Items in order, nested under their parents. */
function tree(items: readonly DictionaryItemEntity[]): ItemNode[] {
  const nodes = new Map(items.map((item) => [item.id, { ...itemFields(item), children: [] as ItemNode[] }]));
  const roots: ItemNode[] = [];
  for (const item of items) {
    const node = nodes.get(item.id) as ItemNode;
    const parent = item.parentId ? nodes.get(item.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
