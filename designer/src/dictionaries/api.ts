/**
 * The dictionaries' server calls (`/api/dictionaries`): code lists and trees that forms and
 * pickers use — the case-category directory, the region and grid tree. A dictionary is named by
 * its code and its owner: the shared one (`shared=true`) or a tenant's own (`tenantId`).
 */
import { http, type Query } from '../api';

export interface Dictionary {
  id: string;
  tenantId: string | null;
  shared: boolean;
  code: string;
  name: string;
  description: string | null;
  hierarchical: boolean;
}

export interface DictionaryItem {
  code: string;
  label: string;
  labelEn: string | null;
  sortOrder: number;
  enabled: boolean;
  extra: Record<string, unknown> | null;
  children?: DictionaryItem[];
}

export interface DictionaryDetail extends Dictionary {
  items: DictionaryItem[];
}

export interface ItemInput {
  code: string;
  label: string;
  labelEn?: string | null;
  parent?: string | null;
  sortOrder?: number;
  enabled?: boolean;
  extra?: Record<string, unknown> | null;
}

export interface DictionaryInput {
  code: string;
  name: string;
  description?: string | null;
  hierarchical?: boolean;
}

/** Which dictionary of a code a call means: the row's owner. */
export type Owner = { shared: true } | { tenantId: string };

export const ownerOf = (dictionary: Pick<Dictionary, 'tenantId'>): Owner => (dictionary.tenantId === null ? { shared: true } : { tenantId: dictionary.tenantId });

/** The list route has no count: a page asks for one row more to learn whether another follows. */
export async function listDictionaries(
  filter: { nameLike?: string; shared?: boolean },
  page: { firstResult: number; maxResults: number },
): Promise<{ items: Dictionary[]; more: boolean }> {
  const query: Query = { ...filter, sortBy: 'code', sortOrder: 'asc', firstResult: page.firstResult, maxResults: page.maxResults + 1 };
  const rows = await http.get<Dictionary[]>('/dictionaries', query);
  return { items: rows.slice(0, page.maxResults), more: rows.length > page.maxResults };
}

const path = (code: string) => `/dictionaries/${encodeURIComponent(code)}`;

export const getDictionary = (code: string, owner: Owner) => http.get<DictionaryDetail>(path(code), { ...owner });
/** the dictionary of the code in force in the caller's tenant: its own, else the shared one (what a plugin's menu entry names) */
export const getDictionaryInForce = (code: string) => http.get<DictionaryDetail>(path(code));
export const createDictionary = (body: DictionaryInput & { tenantId?: string; items?: ItemInput[] }) => http.post<DictionaryDetail>('/dictionaries', body);
export const updateDictionary = (code: string, owner: Owner, body: Omit<DictionaryInput, 'code'>) => http.patch<DictionaryDetail>(path(code), body, { query: { ...owner } });
export const deleteDictionary = (code: string, owner: Owner) => http.delete<void>(path(code), { query: { ...owner } });
export const createItem = (code: string, owner: Owner, body: ItemInput) => http.post<DictionaryItem>(`${path(code)}/items`, body, { query: { ...owner } });
export const updateItem = (code: string, owner: Owner, itemCode: string, body: Omit<ItemInput, 'code'>) =>
  http.patch<DictionaryItem>(`${path(code)}/items/${encodeURIComponent(itemCode)}`, body, { query: { ...owner } });
export const deleteItem = (code: string, owner: Owner, itemCode: string) => http.delete<void>(`${path(code)}/items/${encodeURIComponent(itemCode)}`, { query: { ...owner } });
