/**
 * Where the pickers get their choices from. Apps hand one to the form (`yiwang.dataSource`);
 * `createFetchDataSource` reads the platform's API, tests and previews use `createMemoryDataSource`.
 */
export interface FormFieldsDataSource {
  /** users whose id or display name contains `query` (at most a page of them) */
  searchUsers(query: string): Promise<readonly UserOption[]>;
  /** departments of tenant `tenantId` (the caller's own without one) whose name or code contains `query`; an empty query lists them all */
  searchDepartments(query: string, tenantId?: string): Promise<readonly DepartmentOption[]>;
  /** the items of dictionary `code` below `parent` (the top level without one) */
  dictionaryItems(code: string, parent?: string): Promise<readonly DictionaryItem[]>;
  /** the regions below `code` (行政区划 → 街道 → 社区 → 网格); the districts without one */
  regionChildren(code?: string): Promise<readonly DictionaryItem[]>;
}

export interface UserOption {
  readonly id: string;
  readonly displayName: string;
}

export interface DepartmentOption {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  /** the tenant the department belongs to */
  readonly tenantId?: string;
}

/** A dictionary item as `GET /api/dictionaries/{code}/items` answers it; regions have the same shape. */
export interface DictionaryItem {
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string | null;
  readonly hasChildren: boolean;
}
