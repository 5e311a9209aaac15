/** The server calls of the form designer: `/api/forms` (see engine/src/api/platform/form-routes.ts). */
import { http } from './http.js';

/** A form-js form: its `id` is the form key. */
export interface FormSchema {
  id?: string;
  type?: string;
  components: Record<string, unknown>[];
  schemaVersion?: number;
  [property: string]: unknown;
}

export interface FormVersion {
  id: string;
  tenantId: string | null;
  key: string;
  version: number;
  name: string | null;
  deploymentId: string | null;
  created: string;
  createdBy: string | null;
}

export interface FormVersionDetail extends FormVersion {
  form: FormSchema;
  schema: Record<string, unknown>;
}

export interface FieldError {
  field: string;
  label: string | null;
  rule: string;
  message: string;
}

export async function listForms(query: { firstResult: number; maxResults: number; nameLike?: string; key?: string }): Promise<{ items: FormVersion[]; total: number }> {
  const filter = { nameLike: query.nameLike ? `%${query.nameLike}%` : undefined, key: query.key || undefined };
  const [items, count] = await Promise.all([
    http.get<FormVersion[]>('/api/forms', { ...filter, sortBy: 'key', sortOrder: 'asc', firstResult: query.firstResult, maxResults: query.maxResults }),
    http.get<{ count: number }>('/api/forms/count', filter),
  ]);
  return { items, total: count.count };
}

const formPath = (key: string) => `/api/forms/${encodeURIComponent(key)}`;

export function listFormVersions(key: string, tenantId?: string | null): Promise<FormVersion[]> {
  return http.get<FormVersion[]>(`${formPath(key)}/versions`, { tenantId: tenantId ?? undefined });
}

export function getFormVersion(key: string, version: number, tenantId?: string | null): Promise<FormVersionDetail> {
  return http.get<FormVersionDetail>(`${formPath(key)}/versions/${version}`, { tenantId: tenantId ?? undefined });
}

/** The `.form` file of a version, as the server exports it. */
export function exportFormVersion(key: string, version: number, tenantId?: string | null): Promise<Blob> {
  return http.blob(`${formPath(key)}/versions/${version}/export`, { tenantId: tenantId ?? undefined });
}

/** Saves a new version (or finds the same content saved already: then no version is added). */
export function saveForm(form: FormSchema, name: string): Promise<FormVersionDetail> {
  return http.post<FormVersionDetail>('/api/forms', { form, name });
}

/** The server's verdict on data for a form being designed: the same rules a submission meets. */
export function validateOnServer(form: FormSchema, data: Record<string, unknown>): Promise<{ valid: boolean; errors: FieldError[] }> {
  return http.post<{ valid: boolean; errors: FieldError[] }>('/api/forms/validate', { form, data });
}
