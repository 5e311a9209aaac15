/**
 * 回报上级 (topic `cc-report-back`): a case assigned by an upper-level platform (national or
 * Guangxi regional supervision system, message start `cc_upper_assignment`) reports its result
 * back once it is closed.
 *
 * For now the handler only RECORDS the report: it completes the task with `reportedBackAt` (ISO
 * time) and `reportBack` (what would be sent). Sending it to the upper platform is the
 * data-exchange plugin's job (a later issue); until then nothing leaves the platform.
 */
import { Variables } from 'camunda-external-task-client-js';
import type { Task, TaskService } from 'camunda-external-task-client-js';
import type { WorkerHandlers } from '@yiwang/engine/workers';

/** What the report to the upper platform says about the case. */
export interface ReportBack {
  readonly upperTaskId: string | null;
  readonly caseNumber: string | null;
  readonly caseCode: string | null;
  readonly category: string | null;
  readonly handlingNote: string | null;
  readonly checkNote: string | null;
  readonly closeNote: string | null;
  readonly rework: number;
  readonly closedAt: string;
}

function text(task: Task, name: string): string | null {
  const value: unknown = task.variables.get(name);
  return typeof value === 'string' && value !== '' ? value : null;
}

export function reportOf(task: Task, now: Date): ReportBack {
  const rework: unknown = task.variables.get('rework');
  return {
    upperTaskId: text(task, 'upperTaskId') ?? task.businessKey,
    caseNumber: text(task, 'caseNumber'),
    caseCode: text(task, 'caseCode'),
    category: text(task, 'category'),
    handlingNote: text(task, 'handlingNote'),
    checkNote: text(task, 'checkNote'),
    closeNote: text(task, 'closeNote'),
    rework: typeof rework === 'number' ? rework : 0,
    closedAt: now.toISOString(),
  };
}

export async function reportBack({ task, taskService }: { readonly task: Task; readonly taskService: TaskService }): Promise<void> {
  const now = new Date();
  const report = reportOf(task, now);
  await taskService.complete(task, new Variables().set('reportedBackAt', now.toISOString()).setTyped('reportBack', { type: 'Json', value: JSON.stringify(report), valueInfo: {} }));
}

export const handlers = { 'cc-report-back': reportBack } satisfies WorkerHandlers;
export default handlers;
