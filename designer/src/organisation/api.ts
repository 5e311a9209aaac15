/**
 * The organisation's server calls: `/api/admin/tenants`, `/departments`, `/posts`, `/users`
 * (with the import), `/permissions`, `/roles`, `/groups` and `/api-keys`, one typed function each.
 */
import { ApiError, http } from '../api';

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageRequest {
  firstResult: number;
  maxResults: number;
}

// ---- tenants

export type TenantLevel = 'national' | 'regional' | 'city' | 'county';
export const TENANT_LEVELS: readonly TenantLevel[] = ['national', 'regional', 'city', 'county'];

export interface Tenant {
  id: string;
  name: string;
  level: TenantLevel;
  regionCode: string;
  parentId: string | null;
  enabled: boolean;
  created: string;
}

export const listTenants = () => http.get<Tenant[]>('/admin/tenants');
export const createTenant = (body: { id: string; name: string; level: TenantLevel; parentId?: string | null }) => http.post<Tenant>('/admin/tenants', body);
export const updateTenant = (id: string, body: { name?: string; enabled?: boolean }) => http.patch<Tenant>(`/admin/tenants/${enc(id)}`, body);
export const moveTenant = (id: string, parentId: string) => http.post<Tenant>(`/admin/tenants/${enc(id)}/move`, { parentId });
export const deleteTenant = (id: string) => http.delete<void>(`/admin/tenants/${enc(id)}`);

// ---- departments

export interface Department {
  id: string;
  tenantId: string;
  parentId: string | null;
  code: string;
  name: string;
  leaderUserId: string | null;
  sortOrder: number;
  created: string;
}

export interface DepartmentNode extends Department {
  children: DepartmentNode[];
}

export interface DepartmentInput {
  tenantId?: string;
  parentId?: string | null;
  code: string;
  name: string;
  leaderUserId?: string | null;
  sortOrder?: number;
}

export const departmentTree = (tenantId?: string) => http.get<DepartmentNode[]>('/admin/departments', { tenantId });
export const createDepartment = (body: DepartmentInput) => http.post<Department>('/admin/departments', body);
export const updateDepartment = (id: string, body: Partial<Omit<DepartmentInput, 'tenantId' | 'parentId'>>) => http.patch<Department>(`/admin/departments/${enc(id)}`, body);
export const moveDepartment = (id: string, parentId: string | null, position: number) => http.post<Department>(`/admin/departments/${enc(id)}/move`, { parentId, position });
export const deleteDepartment = (id: string) => http.delete<void>(`/admin/departments/${enc(id)}`);

// ---- posts

export interface Post {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  created: string;
}

export const listPosts = (tenantId?: string) => http.get<Post[]>('/admin/posts', { tenantId });
export const createPost = (body: { tenantId?: string; code: string; name: string }) => http.post<Post>('/admin/posts', body);
export const updatePost = (id: string, body: { code?: string; name?: string }) => http.patch<Post>(`/admin/posts/${enc(id)}`, body);
export const deletePost = (id: string) => http.delete<void>(`/admin/posts/${enc(id)}`);

// ---- users

export interface UserSummary {
  id: string;
  tenantId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  enabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  created: string;
}

export interface Membership {
  id: string;
  code: string;
  name: string;
}

export interface UserDetail extends UserSummary {
  failedLogins: number;
  passwordChanged: string | null;
  departments: (Membership & { primary: boolean })[];
  posts: Membership[];
  roles: Membership[];
  groups: Membership[];
}

export interface UserFilter {
  tenantId?: string;
  departmentId?: string;
  includeSubDepartments?: boolean;
  search?: string;
  enabled?: boolean;
  sortBy?: 'id' | 'displayName' | 'created';
  sortOrder?: 'asc' | 'desc';
}

export interface UserProfile {
  displayName?: string;
  email?: string | null;
  phone?: string | null;
  departmentIds?: string[];
  postIds?: string[];
  roleIds?: string[];
}

export async function listUsers(filter: UserFilter, page: PageRequest): Promise<Page<UserSummary>> {
  const query = clean({ ...filter });
  const [items, count] = await Promise.all([
    http.get<UserSummary[]>('/admin/users', { ...query, ...page }),
    http.get<{ count: number }>('/admin/users/count', query),
  ]);
  return { items, total: count.count };
}

export const getUser = (id: string) => http.get<UserDetail>(`/admin/users/${enc(id)}`);
export const createUser = (body: UserProfile & { id: string; displayName: string; password: string; tenantId?: string }) => http.post<UserDetail>('/admin/users', body);
export const updateUser = (id: string, body: UserProfile & { enabled?: boolean }) => http.patch<UserDetail>(`/admin/users/${enc(id)}`, body);
export const resetPassword = (id: string, password: string) => http.post<void>(`/admin/users/${enc(id)}/password`, { password });
export const unlockUser = (id: string) => http.post<void>(`/admin/users/${enc(id)}/unlock`);
export const deleteUser = (id: string) => http.delete<void>(`/admin/users/${enc(id)}`);

/** One problem of one row of a refused import: the sheet's row number (the header is row 1). */
export interface ImportRowProblem {
  row: number;
  field: string;
  message: string;
}

/** Sends a CSV or XLSX sheet; `progress` hears the upload's fraction sent (0–1). */
export const importUsers = (file: File, tenantId: string | undefined, progress: (fraction: number) => void) =>
  http.upload<{ imported: number }>('/admin/users/import', file, { query: clean({ tenantId }), progress });

/** The rows a refused import lists, each with its sheet row, field and problem. */
export function importProblems(error: unknown): ImportRowProblem[] {
  const rows = error instanceof ApiError ? error.body.rows : undefined;
  return Array.isArray(rows) ? (rows as ImportRowProblem[]) : [];
}

// ---- permissions and roles

export interface Permission {
  id: string;
  kind: 'menu' | 'action';
  nameZh: string;
  nameEn: string;
  source: string;
}

export const listPermissions = () => http.get<Permission[]>('/admin/permissions');

export type DataScope = 'all' | 'department-and-below' | 'department' | 'self' | 'chosen-departments';
export const DATA_SCOPES: readonly DataScope[] = ['all', 'department-and-below', 'department', 'self', 'chosen-departments'];

export interface Role {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  dataScope: DataScope;
  seesDescendants: boolean;
  created: string;
}

export interface RoleDetail extends Role {
  permissions: string[];
  departments: Membership[];
  userCount: number;
}

export interface RoleInput {
  code: string;
  name: string;
  dataScope: DataScope;
  seesDescendants?: boolean;
  permissions: string[];
  departmentIds?: string[];
}

export interface UserRef {
  id: string;
  displayName: string;
}

export async function listRoles(filter: { tenantId?: string; nameLike?: string }, page: PageRequest): Promise<Page<Role>> {
  const query = clean({ ...filter, sortBy: 'code', sortOrder: 'asc' });
  const [items, count] = await Promise.all([
    http.get<Role[]>('/admin/roles', { ...query, ...page }),
    http.get<{ count: number }>('/admin/roles/count', query),
  ]);
  return { items, total: count.count };
}

export const getRole = (id: string) => http.get<RoleDetail>(`/admin/roles/${enc(id)}`);
export const createRole = (body: RoleInput & { tenantId?: string }) => http.post<RoleDetail>('/admin/roles', body);
export const updateRole = (id: string, body: RoleInput) => http.put<RoleDetail>(`/admin/roles/${enc(id)}`, body);
export const deleteRole = (id: string) => http.delete<void>(`/admin/roles/${enc(id)}`);
export const roleUsers = (id: string) => http.get<UserRef[]>(`/admin/roles/${enc(id)}/users`);
export const setRoleUsers = (id: string, userIds: string[]) => http.put<void>(`/admin/roles/${enc(id)}/users`, { userIds });

// ---- groups

export interface Group {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  created: string;
}

export interface GroupDetail extends Group {
  members: UserRef[];
}

export async function listGroups(filter: { tenantId?: string; nameLike?: string }, page: PageRequest): Promise<Page<Group>> {
  const query = clean({ ...filter, sortBy: 'code', sortOrder: 'asc' });
  const [items, count] = await Promise.all([
    http.get<Group[]>('/admin/groups', { ...query, ...page }),
    http.get<{ count: number }>('/admin/groups/count', query),
  ]);
  return { items, total: count.count };
}

export const getGroup = (id: string) => http.get<GroupDetail>(`/admin/groups/${enc(id)}`);
export const createGroup = (body: { tenantId?: string; code: string; name: string }) => http.post<GroupDetail>('/admin/groups', body);
export const updateGroup = (id: string, body: { code: string; name: string }) => http.put<GroupDetail>(`/admin/groups/${enc(id)}`, body);
export const deleteGroup = (id: string) => http.delete<void>(`/admin/groups/${enc(id)}`);
export const setGroupMembers = (id: string, userIds: string[]) => http.put<void>(`/admin/groups/${enc(id)}/members`, { userIds });

// ---- API keys

export interface ApiKey {
  id: string;
  name: string;
  userId: string;
  tenantId: string | null;
  permissions: string[] | null;
  created: string;
  expires: string | null;
  lastUsed: string | null;
}

export interface NewApiKey {
  name: string;
  userId?: string;
  tenantId?: string;
  permissions?: string[] | null;
  expiresInDays?: number;
}

/** The API key list has no count route: a page is asked for one row more to learn whether another page follows. */
export async function listApiKeys(filter: { userId?: string }, page: PageRequest): Promise<{ items: ApiKey[]; more: boolean }> {
  const rows = await http.get<ApiKey[]>('/admin/api-keys', { ...clean(filter), firstResult: page.firstResult, maxResults: page.maxResults + 1 });
  return { items: rows.slice(0, page.maxResults), more: rows.length > page.maxResults };
}

export const createApiKey = (body: NewApiKey) => http.post<ApiKey & { key: string }>('/admin/api-keys', body);
export const revokeApiKey = (id: string) => http.delete<void>(`/admin/api-keys/${enc(id)}`);

// ----

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** Drops empty filters: an empty search box is no filter, not a filter for ''. */
export function clean<T extends object>(query: T): Partial<T> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== '')) as Partial<T>;
}
