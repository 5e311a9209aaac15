/** 审批 (延期 and 作废 requests): `/api/case-requests` (+ `/{id}/approve`, `/{id}/reject`); the cases' numbers from `/api/instances/{id}`. */
import { http } from '@yiwang/web-kit/api';
import type { CaseRequest, CaseView } from '../cases/api.js';
import { once } from '../common/ids.js';

export type RequestKind = CaseRequest['kind'];
export type RequestState = CaseRequest['state'];

/** A request as the list answers it: the case request of the case page, with its case and task. */
export interface ApprovalRequest extends CaseRequest {
  readonly processInstanceId: string;
  readonly taskId: string | null;
  readonly decidedAt: string | null;
}

export interface RequestFilter {
  readonly state?: RequestState;
  readonly kind?: RequestKind;
}

/** oldest first; the route has no `/count`, so a page asks for one more row to know whether a next page exists */
export const listRequests = (filter: RequestFilter, firstResult: number, maxResults: number) =>
  http.get<ApprovalRequest[]>('/case-requests', { state: filter.state, kind: filter.kind, firstResult, maxResults });

export const decideRequest = (id: string, approve: boolean, comment: string, key: string) =>
  http.post<ApprovalRequest>(`/case-requests/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`, comment ? { comment } : {}, once(key));

/** the case a request is about: its number, process and open steps (the list carries only ids) */
export const readCase = (id: string) => http.get<CaseView>(`/instances/${encodeURIComponent(id)}`, undefined, { quiet: true });
