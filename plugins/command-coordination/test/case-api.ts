/** Driving cases of `cc_case` through `/api` as the Liuzhou staff (claim, read the step's form, approve with its data). */
import type { ProcessEngine } from '../../../engine/src/services/index.js';
import { fromStoredValue } from '../../../engine/src/variables/index.js';
import type { SignedInClient } from '../../../engine/src/testing/signed-in-app.js';

/** a small PNG (8×8, red): a "photo" */
export const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC', 'base64');

export interface TaskView {
  readonly task: { id: string; name: string; assignee: string | null; dueDate: string | null; timeLimitMs: number | null; taskDefinitionKey: string };
  readonly operations: readonly { operation: string; label: string }[];
}

export class CaseDriver {
  constructor(
    readonly engine: ProcessEngine,
    readonly api: SignedInClient,
  ) {}

  async upload(as: string, name = 'photo.png'): Promise<{ id: string; name: string }> {
    const body = new FormData();
    body.append('file', new Blob([PHOTO], { type: 'image/png' }), name);
    const [stored] = await this.api.json<{ id: string; name: string }[]>('/files', { as, method: 'POST', body }, 201);
    return { id: stored!.id, name: stored!.name };
  }

  async definitionId(as: string, key = 'cc_case'): Promise<string> {
    const startable = await this.api.json<{ id: string; key: string }[]>('/process-definitions/startable', { as });
    const definition = startable.find((d) => d.key === key);
    if (!definition) throw new Error(`${as} cannot start ${key}: ${JSON.stringify(startable)}`);
    return definition.id;
  }

  /** 上报 from the start form */
  async report(as: string, data: Record<string, unknown>): Promise<{ processInstanceId: string; businessKey: string; serialNumbers: Record<string, string> }> {
    return this.api.json(`/process-definitions/${await this.definitionId(as)}/start-form`, { as, method: 'POST', body: { data } }, 201);
  }

  /** the case's one open task, which must be of `activityId` */
  async openTask(processInstanceId: string, activityId: string): Promise<{ id: string; assignee: string | null }> {
    const tasks = await this.engine.taskService.listTasks({ processInstanceId });
    const active = await this.engine.runtimeService.getActiveActivityIds(processInstanceId).catch(() => []);
    if (tasks.length !== 1 || tasks[0]!.taskDefinitionKey !== activityId) {
      throw new Error(`expected one task '${activityId}', found ${JSON.stringify(tasks.map((t) => t.taskDefinitionKey))} (active: ${JSON.stringify(active)})`);
    }
    return tasks[0]!;
  }

  async view(as: string, taskId: string): Promise<TaskView> {
    return this.api.json<TaskView>(`/tasks/${taskId}`, { as });
  }

  /** claims the step if it is unassigned, reads its form and approves it with the form's data changed by `changes` */
  async act(as: string, processInstanceId: string, activityId: string, changes: Record<string, unknown> = {}, comment?: string): Promise<{ taskId: string; data: Record<string, unknown> }> {
    const task = await this.openTask(processInstanceId, activityId);
    if (!task.assignee) await this.api.json(`/tasks/${task.id}/claim`, { as, method: 'POST' }, 204);
    const form = await this.api.json<{ data: Record<string, unknown> }>(`/tasks/${task.id}/form`, { as });
    const data = { ...form.data, ...changes };
    await this.api.json(`/tasks/${task.id}/approve`, { as, method: 'POST', body: { data, ...(comment ? { comment } : {}) } });
    return { taskId: task.id, data: form.data };
  }

  async variables(processInstanceId: string): Promise<Record<string, unknown>> {
    return Object.fromEntries([...(await this.engine.runtimeService.getVariables(processInstanceId))].map(([name, value]) => [name, value.value]));
  }

  async historicVariables(processInstanceId: string): Promise<Record<string, unknown>> {
    const rows = await this.engine.historyService.listVariables(processInstanceId);
    return Object.fromEntries(rows.filter((row) => row.state === 'CREATED').map((row) => [row.name, fromStoredValue(row).value]));
  }
}
