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

/** Starts a case from its start form (field errors come back as the ApiError's `fieldProblems`). */
export const submitStartForm = (id: string, data: Record<string, unknown>, businessKey: string) =>
  http.post<{ processInstanceId: string; businessKey: string | null }>(`/process-definitions/${encodeURIComponent(id)}/start-form`, { data, businessKey }, { quiet: true });

/** Starts a process without a start form (Camunda's start). */
export const startWithoutForm = (id: string, businessKey: string) =>
  api.post<{ id: string; businessKey: string | null }>(`/engine-rest/process-definition/${encodeURIComponent(id)}/start`, { businessKey });

/**
 * A case number for a new case: the kind's prefix (BJ 部件, SJ 事件, else AJ), the date and time and
 * three random digits. The engine does not number cases yet (see runtime/README.md).
 */
export function newCaseNumber(category?: unknown): string {
  const prefix = typeof category === 'string' && /^(BJ|SJ)/.test(category) ? category.slice(0, 2) : 'AJ';
  const now = new Date();
  const two = (value: number) => String(value).padStart(2, '0');
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return `${prefix}${stamp}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}
