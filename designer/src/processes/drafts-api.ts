/** Process drafts kept on the server (`/api/process-drafts`): unfinished BPMN XML, one per process id in the user's tenant. */
import { request } from '../api/index.js';

export interface DraftSummary {
  id: string;
  rev: number;
  tenantId: string | null;
  key: string;
  name: string | null;
  updated: string;
  updatedBy: string | null;
}

export interface Draft extends DraftSummary {
  content: string;
}

const path = (key: string) => `/api/process-drafts/${encodeURIComponent(key)}`;

export async function listDrafts(query: { nameLike?: string; firstResult: number; maxResults: number }): Promise<{ items: DraftSummary[]; total: number }> {
  const filter = { nameLike: query.nameLike ? `%${query.nameLike}%` : undefined };
  const [items, count] = await Promise.all([
    request<DraftSummary[]>('GET', '/api/process-drafts', { query: { ...filter, firstResult: query.firstResult, maxResults: query.maxResults } }),
    request<{ count: number }>('GET', '/api/process-drafts/count', { query: filter }),
  ]);
  return { items, total: count.count };
}

export function getDraft(key: string): Promise<Draft> {
  return request<Draft>('GET', path(key));
}

/** Without `rev` a new draft; with the revision it was loaded at, a replacement (a 409 names who saved in between). The caller shows the error. */
export function saveDraft(key: string, input: { name: string | null; content: string; rev?: number }): Promise<Draft> {
  return request<Draft>('PUT', path(key), { body: input, quiet: true });
}

export function deleteDraft(key: string): Promise<void> {
  return request<void>('DELETE', path(key));
}
