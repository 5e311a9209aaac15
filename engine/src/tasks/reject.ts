import type { Command, CommandContext } from '../command/index.js';
import { InstanceRuntime, moveToken, planMove } from '../bpmn/execute/index.js';
import { DeleteProcessInstanceCmd } from '../services/commands/process-instance.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { recordAction } from './timeline.js';

/** Why the tasks and the instance a rejection ends are ended, in history (hi_task and hi_process_instance delete reason). */
export const REJECTED = 'rejected';

/**
 * 不通过: the task's `yiwang:reject:target` decides. None: the case ends — every token cancelled,
 * history state EXTERNALLY_TERMINATED with delete reason `rejected` (Camunda's states, so
 * /engine-rest clients read it). A target: the token moves there (modification.ts), the task
 * cancelled as `rejected`. In a multi-instance task (会签) one signer's rejection rejects the whole
 * activity: every instance is cancelled with it.
 */
export class RejectTaskCmd implements Command<void> {
  readonly name = 'RejectTask';

  constructor(
    private readonly taskId: string,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const { task, activity } = await openTaskFor(context, this.taskId, 'reject', 'complete');
    const path = activity.operations.rejectPath;
    const runtime = await InstanceRuntime.load(context, task.processInstanceId);
    const plan = path.kind === 'activity' ? planMove(runtime, runtime.execution(task.executionId), path.activityId) : null;
    const target = path.kind === 'activity' ? { activityId: path.activityId, activityName: runtime.process.model.activities.get(path.activityId)?.name ?? null } : { end: true };
    await recordAction(context, { processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: 'reject', target, input: this.input });
    if (plan) await moveToken(runtime, plan, REJECTED);
    else await new DeleteProcessInstanceCmd(task.processInstanceId, REJECTED).execute(context);
  }
}
