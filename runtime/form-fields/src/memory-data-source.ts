import type { DepartmentOption, DictionaryItem, FormFieldsDataSource, UserOption } from './data-source.js';
import { matches } from './fetch-data-source.js';

/** A dictionary (or region) item with the items below it. */
export interface DictionaryTreeNode {
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string;
  readonly children?: readonly DictionaryTreeNode[];
}

export interface MemoryData {
  readonly users?: readonly UserOption[];
  readonly departments?: readonly DepartmentOption[];
  /** dictionaries by code */
  readonly dictionaries?: Readonly<Record<string, readonly DictionaryTreeNode[]>>;
  /** the districts, with streets, communities and grids below */
  readonly regions?: readonly DictionaryTreeNode[];
}

/** A data source over fixed data: for tests, the designer's preview and demos. */
export function createMemoryDataSource(data: MemoryData): FormFieldsDataSource {
  const { users = [], departments = [], dictionaries = {}, regions = [] } = data;
  return {
    searchUsers: async (query) => users.filter((user) => matches(query, user.id, user.displayName)),
    searchDepartments: async (query, tenantId) =>
      departments.filter((department) => (tenantId === undefined || department.tenantId === tenantId) && matches(query, department.name, department.code)),
    dictionaryItems: async (code, parent) => itemsBelow(dictionaries[code] ?? [], parent),
    regionChildren: async (code) => itemsBelow(regions, code),
  };
}

function itemsBelow(tree: readonly DictionaryTreeNode[], parent: string | undefined): DictionaryItem[] {
  const level = parent === undefined ? tree : findNode(tree, parent)?.children ?? [];
  return level.map(({ code, label, labelEn, children }) => ({ code, label, labelEn: labelEn ?? null, hasChildren: (children?.length ?? 0) > 0 }));
}

function findNode(tree: readonly DictionaryTreeNode[], code: string): DictionaryTreeNode | undefined {
  for (const node of tree) {
    if (node.code === code) return node;
    const below = findNode(node.children ?? [], code);
    if (below) return below;
  }
  return undefined;
}
