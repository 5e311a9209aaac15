import type { DepartmentOption, DictionaryItem, FormFieldsDataSource, UserOption } from './data-source.js';

export interface FetchDataSourceOptions {
  /** the hierarchical dictionary holding 行政区划 → 街道 → 社区 → 网格 (default `region`) */
  readonly regionDictionary?: string;
  /** how many users a search answers (default 20) */
  readonly pageSize?: number;
  /** the `Accept-Language` sent along, so error messages come back in the user's language */
  readonly language?: string;
  /** for tests and non-browser hosts; the global `fetch` otherwise */
  readonly fetch?: typeof fetch;
}

interface DepartmentNode {
  readonly id: string;
  readonly tenantId?: string;
  readonly code: string;
  readonly name: string;
  readonly children?: readonly DepartmentNode[];
}

/**
 * The pickers' data from the platform's `/api`: users from `/api/admin/users`, departments from the
 * tenant's tree at `/api/admin/departments`, dictionaries (and regions, a dictionary too) from
 * `/api/dictionaries/{code}/items`. `token` is the signed-in user's access token; pass a function
 * when the app refreshes it, so every request carries the current one.
 */
export function createFetchDataSource(baseUrl: string, token: string | (() => string), options: FetchDataSourceOptions = {}): FormFieldsDataSource {
  const root = baseUrl.replace(/\/+$/, '');
  const regionDictionary = options.regionDictionary ?? 'region';
  const pageSize = options.pageSize ?? 20;
  const fetchJson = async <T>(path: string, query: Record<string, string | undefined>): Promise<T> => {
    const url = new URL(`${root}${path}`, globalThis.location?.href);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, value);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${typeof token === 'function' ? token() : token}` };
    if (options.language) headers['Accept-Language'] = options.language;
    const response = await (options.fetch ?? fetch)(url, { headers });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await messageOf(response)}`);
    return (await response.json()) as T;
  };
  // the department tree of a tenant is small and changes rarely: read it once per form
  const trees = new Map<string, Promise<readonly DepartmentOption[]>>();
  const departmentsOf = (tenantId: string | undefined): Promise<readonly DepartmentOption[]> => {
    const cacheKey = tenantId ?? '';
    let departments = trees.get(cacheKey);
    if (!departments) {
      departments = fetchJson<DepartmentNode[]>('/api/admin/departments', { tenantId }).then(flattenTree);
      departments.catch(() => trees.delete(cacheKey));
      trees.set(cacheKey, departments);
    }
    return departments;
  };
  const dictionaryItems = (code: string, parent?: string) =>
    fetchJson<DictionaryItem[]>(`/api/dictionaries/${encodeURIComponent(code)}/items`, { parent });
  return {
    async searchUsers(query) {
      const users = await fetchJson<UserOption[]>('/api/admin/users', {
        search: query.trim(), enabled: 'true', sortBy: 'displayName', sortOrder: 'asc', maxResults: String(pageSize),
      });
      return users.map(({ id, displayName }) => ({ id, displayName }));
    },
    async searchDepartments(query, tenantId) {
      return (await departmentsOf(tenantId)).filter((department) => matches(query, department.name, department.code, department.id));
    },
    dictionaryItems,
    regionChildren: (code) => dictionaryItems(regionDictionary, code),
  };
}

function flattenTree(nodes: readonly DepartmentNode[]): DepartmentOption[] {
  return nodes.flatMap(({ id, tenantId, code, name, children = [] }) => [{ id, tenantId, code, name }, ...flattenTree(children)]);
}

/** Whether any of `texts` contains `query`, ignoring case; an empty query matches everything. */
export function matches(query: string, ...texts: readonly string[]): boolean {
  const wanted = query.trim().toLowerCase();
  return wanted === '' || texts.some((text) => text.toLowerCase().includes(wanted));
}

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}
