/**
 * The server calls of the process designer: Camunda's /engine-rest for deployments and definitions
 * (as Camunda Modeler sends them), the platform's /api for the organisation, forms and dictionaries.
 */
import { hasPermission } from '../api/index.js';
import { http } from './http';

export interface ProcessDefinition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  resource: string;
  deploymentId: string;
  tenantId: string | null;
  versionTag: string | null;
  suspended: boolean;
  category: string | null;
}

export interface DefinitionQuery {
  key?: string;
  nameLike?: string;
  latestVersion?: boolean;
  firstResult: number;
  maxResults: number;
}

export async function listDefinitions(query: DefinitionQuery): Promise<{ items: ProcessDefinition[]; total: number }> {
  const filter: Record<string, string | number | boolean | undefined> = {
    key: query.key,
    nameLike: query.nameLike ? `%${query.nameLike}%` : undefined,
    latestVersion: query.latestVersion,
  };
  const [items, count] = await Promise.all([
    http.get<ProcessDefinition[]>('/engine-rest/process-definition', {
      ...filter, sortBy: query.key ? 'version' : 'key', sortOrder: query.key ? 'desc' : 'asc', firstResult: query.firstResult, maxResults: query.maxResults,
    }),
    http.get<{ count: number }>('/engine-rest/process-definition/count', filter),
  ]);
  return { items, total: count.count };
}

export async function definitionXml(id: string): Promise<string> {
  return (await http.get<{ id: string; bpmn20Xml: string }>(`/engine-rest/process-definition/${encodeURIComponent(id)}/xml`)).bpmn20Xml;
}

export async function getDefinition(id: string): Promise<ProcessDefinition> {
  return http.get<ProcessDefinition>(`/engine-rest/process-definition/${encodeURIComponent(id)}`);
}

export interface Deployment {
  id: string;
  name: string | null;
  deployedProcessDefinitions: Record<string, ProcessDefinition> | null;
}

/** Deploys one diagram as Camunda Modeler does (multipart, deploy-changed-only): an unchanged diagram makes no new version. */
export async function deployDiagram(input: { name: string; fileName: string; xml: string; tenantId?: string }): Promise<Deployment> {
  const form = new FormData();
  form.append('deployment-name', input.name);
  form.append('deployment-source', 'yiwang designer');
  form.append('deploy-changed-only', 'true');
  if (input.tenantId) form.append('tenant-id', input.tenantId);
  form.append(input.fileName, new Blob([input.xml], { type: 'application/octet-stream' }), input.fileName);
  return http.upload<Deployment>('/engine-rest/deployment/create', form);
}

/** One line of an `ENGINE-09005` answer: `* message | element 'id' | resource 'name'`. */
export interface DeployProblem {
  message: string;
  elementId: string | null;
  resource: string | null;
}

export function parseDeployProblems(message: string): DeployProblem[] {
  return message
    .split('\n')
    .filter((line) => line.startsWith('* '))
    .map((line) => {
      const element = /\s\|\selement '([^']*)'/.exec(line);
      const resource = /\s\|\sresource '([^']*)'$/.exec(line);
      let text = line.slice(2);
      const cut = text.search(/\s\|\s(element|resource) '/);
      if (cut >= 0) text = text.slice(0, cut);
      return { message: text, elementId: element?.[1] ?? null, resource: resource?.[1] ?? null };
    });
}

// ---- organisation, forms and dictionaries for the pickers

export interface UserSummary { id: string; displayName: string; tenantId: string }
export interface RoleSummary { id: string; code: string; name: string; tenantId: string }
export interface GroupSummary { id: string; code: string; name: string; tenantId: string }
export interface PostSummary { id: string; code: string; name: string; tenantId: string }
export interface DepartmentNode { id: string; code: string; name: string; tenantId: string; children?: DepartmentNode[] }

export function searchUsers(search: string): Promise<UserSummary[]> {
  return http.get<UserSummary[]>('/api/admin/users', { search: search || undefined, enabled: true, maxResults: 20, sortBy: 'displayName' });
}

export function searchRoles(search: string): Promise<RoleSummary[]> {
  return http.get<RoleSummary[]>('/api/admin/roles', { nameLike: search ? `%${search}%` : undefined, maxResults: 50, sortBy: 'name' });
}

export function searchGroups(search: string): Promise<GroupSummary[]> {
  return http.get<GroupSummary[]>('/api/admin/groups', { nameLike: search ? `%${search}%` : undefined, maxResults: 50, sortBy: 'name' });
}

export function listPosts(): Promise<PostSummary[]> {
  return http.get<PostSummary[]>('/api/admin/posts');
}

export function departmentTree(): Promise<DepartmentNode[]> {
  return http.get<DepartmentNode[]>('/api/admin/departments');
}

export interface FormSummary { id: string; key: string; version: number; name: string | null; tenantId: string | null }
export interface FormVersion extends FormSummary { form: FormDocument }
export interface FormComponent { type: string; key?: string; path?: string; label?: string; components?: FormComponent[] }
export interface FormDocument { id: string; components: FormComponent[] }

export function searchForms(search: string): Promise<FormSummary[]> {
  return http.get<FormSummary[]>('/api/forms', { nameLike: search ? `%${search}%` : undefined, maxResults: 50, sortBy: 'key' });
}

export function formVersions(key: string): Promise<FormSummary[]> {
  return http.get<FormSummary[]>(`/api/forms/${encodeURIComponent(key)}/versions`);
}

export function formVersion(key: string, version: number): Promise<FormVersion> {
  return http.get<FormVersion>(`/api/forms/${encodeURIComponent(key)}/versions/${version}`);
}

export interface DictionarySummary { code: string; name: string }

export function listDictionaries(): Promise<DictionarySummary[]> {
  return http.get<DictionarySummary[]>('/api/dictionaries');
}

export interface DictionaryItemSummary { code: string; label: string; labelEn: string | null }

/** engine: a process's `yiwang:category` holds a code of this dictionary */
export const PROCESS_CATEGORY_DICTIONARY = 'process-category';

/**
 * The enabled top-level items of the process-category dictionary; none when the caller may not read
 * dictionaries or has no such dictionary (asked first, so no 404).
 */
export async function processCategories(): Promise<DictionaryItemSummary[]> {
  if (!hasPermission('dictionary:read')) return [];
  const dictionaries = await listDictionaries();
  if (!dictionaries.some((dictionary) => dictionary.code === PROCESS_CATEGORY_DICTIONARY)) return [];
  return http.get<DictionaryItemSummary[]>(`/api/dictionaries/${PROCESS_CATEGORY_DICTIONARY}/items`);
}

/** Components without a value of their own (form-js's and ours). */
const NO_VALUE = new Set(['text', 'html', 'image', 'iframe', 'separator', 'spacer', 'button', 'table', 'documentPreview']);

export interface FormFieldRow { key: string; label: string; type: string; depth: number }

/**
 * The keys a field permission may name (engine: `yiwang:field:<key>`): each field's dot path, and
 * each group's or list's path (everything inside follows it).
 */
export function permissionKeys(components: readonly FormComponent[], prefix = '', depth = 0): FormFieldRow[] {
  const rows: FormFieldRow[] = [];
  for (const component of components) {
    if (NO_VALUE.has(component.type)) continue;
    const children = component.components ?? [];
    if (component.type === 'group' || component.type === 'dynamiclist') {
      const path = component.path ? `${prefix}${component.path}` : '';
      if (path) rows.push({ key: path, label: component.label ?? path, type: component.type, depth });
      rows.push(...permissionKeys(children, path ? `${path}.` : prefix, path ? depth + 1 : depth));
      continue;
    }
    if (component.key) rows.push({ key: `${prefix}${component.key}`, label: component.label ?? component.key, type: component.type, depth });
  }
  return rows;
}
