/** The inbox's engine calls: `GET /api/tasks?view=…` (+ `/count`, `/inbox-counts`), `/api/copies` (抄送我), the filters' choices. */
import { api, http } from '@yiwang/web-kit/api';
import type { Light } from '../common/StatusLight.vue';

export const TASK_TABS = ['todo', 'claimable', 'done', 'started'] as const;
export type TaskTab = (typeof TASK_TABS)[number];
export type InboxTab = TaskTab | 'copies';
export const INBOX_TABS: readonly InboxTab[] = [...TASK_TABS, 'copies'];

export interface InboxRow {
  readonly taskId: string | null;
  readonly taskName: string | null;
  readonly processInstanceId: string;
  readonly businessKey: string | null;
  readonly processDefinitionKey: string | null;
  readonly processName: string | null;
  readonly category: string | null;
  readonly assignee: string | null;
  readonly created: string;
  readonly ended: string | null;
  readonly dueDate: string | null;
  readonly light: Light | null;
  readonly parked: boolean;
  readonly delegated: boolean;
  readonly urgeCount: number;
  readonly state: string | null;
}

export interface CopyRow {
  readonly id: string;
  readonly processInstanceId: string;
  readonly processDefinitionName: string | null;
  readonly processDefinitionKey: string | null;
  readonly businessKey: string | null;
  readonly activityName: string | null;
  readonly senderId: string | null;
  readonly senderName: string | null;
  readonly comment: string | null;
  readonly created: string;
  readonly readTime: string | null;
}

export interface InboxFilters {
  search?: string;
  processDefinitionKey?: string;
  category?: string;
  light?: Light;
  dueAfter?: string;
  dueBefore?: string;
}

export const inboxCounts = () => http.get<Record<TaskTab, number>>('/tasks/inbox-counts');
export const copyCount = (unread?: boolean) => http.get<{ count: number }>('/copies/count', { unread });
export const listTasks = (view: TaskTab, filters: InboxFilters, firstResult: number, maxResults: number) =>
  http.get<InboxRow[]>('/tasks', { view, ...filters, firstResult, maxResults });
export const countTasks = (view: TaskTab, filters: InboxFilters) => http.get<{ count: number }>('/tasks/count', { view, ...filters });
export const listCopies = (firstResult: number, maxResults: number) => http.get<CopyRow[]>('/copies', { firstResult, maxResults });
export const readCopy = (id: string) => http.post<void>(`/copies/${encodeURIComponent(id)}/read`);

export interface ProcessChoice { readonly key: string; readonly name: string | null }
/** The processes to filter by: the latest definition of each key the caller sees (`process:read`). */
export const processChoices = () => api.get<ProcessChoice[]>('/engine-rest/process-definition', { query: { latestVersion: true, sortBy: 'name', sortOrder: 'asc' }, quiet: true });

export interface CategoryChoice { readonly code: string; readonly label: string; readonly labelEn: string | null }
/** The process categories (the `process-category` dictionary). */
export const categoryChoices = () => http.get<CategoryChoice[]>('/dictionaries/process-category/items', undefined, { quiet: true });
