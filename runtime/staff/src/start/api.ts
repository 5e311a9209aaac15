/** The start catalogue's engine calls: startable processes, start forms, starting a case. */
import { api, http } from '@yiwang/web-kit/api';
import type { StepForm } from '../tasks/api.js';

export interface Startable {
  readonly id: string;
  readonly key: string;
  readonly name: string | null;
  readonly version: number;
  readonly category: string | null;
  readonly categoryLabel: string | null;
  readonly hasStartForm: boolean;
}

export const startable = () => http.get<Startable[]>('/process-definitions/startable');
export const startForm = (id: string) => http.get<StepForm>(`/process-definitions/${encodeURIComponent(id)}/start-form`);

/**
 * Starts a case from its start form (field errors come back as the ApiError's `fieldProblems`).
 * The server numbers the case: the form's serial-number field (流水号) is its case number.
 * `requestKey` is the form's Idempotency-Key: a retry after a lost answer starts no second case.
 */
export const submitStartForm = (id: string, data: Record<string, unknown>, requestKey: string) =>
  http.post<{ processInstanceId: string; businessKey: string | null }>(`/process-definitions/${encodeURIComponent(id)}/start-form`, { data }, { quiet: true, headers: { 'Idempotency-Key': requestKey } });

/** Starts a process without a start form (Camunda's start). */
export const startWithoutForm = (id: string) =>
  api.post<{ id: string; businessKey: string | null }>(`/engine-rest/process-definition/${encodeURIComponent(id)}/start`, {});

