/** The case page's engine calls: `/api/instances/{id}` (+ timeline, diagram), finding cases by number, case operations, a public report's possible duplicates and merging. */
import { http } from '@yiwang/web-kit/api';
import type { StoredFile } from '../common/files.js';
import { once } from '../common/ids.js';
import type { Light } from '../common/StatusLight.vue';

export interface OpenTask {
  readonly id: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly dueDate: string | null;
  readonly createTime: string;
  readonly taskDefinitionKey: string;
  readonly light: Light | null;
}

export interface CaseRequest {
  readonly id: string;
  readonly kind: 'extension' | 'void';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly reason: string | null;
  readonly extensionMs: number | null;
  readonly state: 'pending' | 'approved' | 'rejected' | 'cancelled';
  readonly decidedBy: string | null;
  readonly decisionComment: string | null;
}

export interface CaseView {
  readonly instance: {
    readonly id: string;
    readonly businessKey: string | null;
    readonly processDefinitionKey: string;
    readonly startTime: string;
    readonly endTime: string | null;
    readonly startUserId: string | null;
    readonly state: string;
    readonly deleteReason?: string | null;
  };
  readonly processName: string | null;
  readonly openTasks: readonly OpenTask[];
  readonly light: Light | null;
  readonly hold: { readonly parkedBy: string; readonly parkedAt: string; readonly reason: string | null } | null;
  readonly requests: readonly CaseRequest[];
  readonly operations: readonly ('urge' | 'resume' | 'terminate')[];
}

export interface TimelineEntry {
  readonly id: string;
  readonly taskId: string | null;
  readonly activityName: string | null;
  readonly operation: string;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly target: Record<string, unknown> | null;
  readonly comment: string | null;
  readonly time: string;
  readonly workingMs: number | null;
  readonly light: Light | null;
  readonly files: readonly StoredFile[];
}

export interface CaseDiagram {
  readonly processDefinitionId: string;
  readonly bpmnXml: string;
  readonly activities: readonly { readonly activityId: string; readonly state: 'active' | 'completed'; readonly count: number }[];
  readonly incidents: readonly string[];
}

export interface CaseRow {
  readonly id: string;
  readonly businessKey: string | null;
  readonly processName: string | null;
  readonly processDefinitionKey: string;
  readonly state: string;
  readonly startTime: string;
  readonly endTime: string | null;
}

const path = (id: string, rest = '') => `/instances/${encodeURIComponent(id)}${rest}`;

export const getCase = (id: string) => http.get<CaseView>(path(id));
export const getTimeline = (id: string) => http.get<TimelineEntry[]>(path(id, '/timeline'));
export const getDiagram = (id: string) => http.get<CaseDiagram>(path(id, '/diagram'));
/** which cases: by number (exactly, or its beginning) and/or the process's key */
export interface CaseFilter {
  readonly businessKey?: string;
  readonly businessKeyLike?: string;
  readonly processDefinitionKey?: string;
}
export const findCases = (query: CaseFilter, firstResult = 0, maxResults = 20) => http.get<CaseRow[]>('/instances', { ...query, firstResult, maxResults });
export const countCases = (query: CaseFilter) => http.get<{ count: number }>('/instances/count', { ...query });

export type CaseOperation = 'urge' | 'resume' | 'terminate' | 'withdraw';
/** A case operation with its dialog's Idempotency-Key; 撤回 acts on the completed task `taskId`. */
export function runCaseOperation(id: string, operation: CaseOperation, body: Record<string, unknown>, key: string, taskId?: string) {
  if (operation === 'withdraw') return http.post(`/tasks/${encodeURIComponent(taskId ?? '')}/withdraw`, body, once(key));
  return http.post(path(id, `/${operation}`), body, once(key));
}

/** An earlier public report the task's case may repeat (`GET /api/instances/{id}/duplicates`). */
export interface DuplicateCandidate {
  readonly processInstanceId: string;
  readonly trackingCode: string;
  readonly caseNumber: string | null;
  readonly category: string;
  readonly categoryLabel: string | null;
  readonly distanceMetres: number;
  readonly submittedAt: string;
  readonly state: 'open' | 'closed' | 'voided';
  readonly steps: readonly string[];
}
export interface Duplicates {
  /** null: the case is no public report */
  readonly trackingCode: string | null;
  readonly mergedInto: { readonly processInstanceId: string; readonly trackingCode: string } | null;
  readonly candidates: DuplicateCandidate[];
}

/** The case's possible originals (none for a case no public report started); null when they cannot be read, which only hides the panel. */
export async function getDuplicates(caseId: string): Promise<Duplicates | null> {
  try {
    return await http.get<Duplicates>(path(caseId, '/duplicates'), undefined, { quiet: true });
  } catch {
    return null;
  }
}

/** 合并: this case's report into `into`'s, once per Idempotency-Key. */
export const mergeInto = (caseId: string, into: string, key: string) => http.post(path(caseId, '/merge'), { into }, once(key));
