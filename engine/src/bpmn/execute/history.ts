import type { CommandContext } from '../../command/index.js';
import {
  formatTimestamp,
  HI_ACTIVITY_INSTANCE,
  HI_PROCESS_INSTANCE,
  HI_TASK,
  type ExecutionEntity,
  type ProcessInstanceState,
  type TaskEntity,
} from '../../persistence/index.js';
import type { DeployedProcess } from '../deployment-cache.js';
import type { Activity } from '../model/index.js';

/**
 * Writes history rows in the command's unit of work, so history commits with the runtime change
 * it records. Rows are ended without being read: durations come from start times the runtime
 * rows carry.
 */
export class HistoryWriter {
  constructor(
    private readonly context: CommandContext,
    private readonly process: DeployedProcess,
  ) {}

  processInstanceStarted(root: ExecutionEntity, startActivityId: string, superProcessInstanceId: string | null): void {
    this.context.session.insert(HI_PROCESS_INSTANCE, {
      id: root.id,
      processDefinitionId: this.process.definition.id,
      processDefinitionKey: this.process.definition.key,
      businessKey: root.businessKey,
      startTime: root.startTime,
      endTime: null,
      durationMs: null,
      startUserId: this.context.userId,
      startActivityId,
      endActivityId: null,
      state: 'ACTIVE',
      deleteReason: null,
      tenantId: root.tenantId,
      superProcessInstanceId,
      startDepartmentId: this.context.actor?.departmentId ?? null,
    });
  }

  processInstanceEnded(root: ExecutionEntity, state: ProcessInstanceState, endActivityId: string | null, deleteReason: string | null): void {
    this.context.session.updateById(HI_PROCESS_INSTANCE, root.id, {
      endTime: this.context.now(),
      durationMs: this.since(root.startTime),
      endActivityId,
      state,
      deleteReason,
    });
    // an ended case is no longer parked (挂账), and nobody decides its waiting 延期/作废 requests any more
    this.context.session.addStatement('DELETE FROM case_hold WHERE process_instance_id = $1', [root.id]);
    this.context.session.addStatement(
      "UPDATE case_request SET state = 'cancelled', decided_at = $1, open_key = NULL WHERE process_instance_id = $2 AND state = 'pending'",
      [formatTimestamp(this.context.now()), root.id],
    );
  }

  activityStarted(token: ExecutionEntity, activity: Activity, parentActivityInstanceId: string | null): void {
    this.context.session.insert(HI_ACTIVITY_INSTANCE, {
      id: token.activityInstanceId as string,
      parentActivityInstanceId,
      activityId: activity.id,
      activityName: activity.name,
      activityType: activity.activityType,
      processInstanceId: token.processInstanceId,
      processDefinitionId: token.processDefinitionId,
      executionId: token.id,
      taskId: null,
      assignee: null,
      startTime: token.startTime,
      endTime: null,
      durationMs: null,
      canceled: false,
      sequenceCounter: this.context.nextSequence(),
      tenantId: token.tenantId,
      calledProcessInstanceId: null,
    });
  }

  activityEnded(token: ExecutionEntity, canceled = false): void {
    if (!token.activityInstanceId) return;
    this.context.session.updateById(HI_ACTIVITY_INSTANCE, token.activityInstanceId, {
      endTime: this.context.now(),
      durationMs: this.since(token.startTime),
      canceled,
    });
  }

  /** The call activity's visit links the instance it called. */
  activityCalled(token: ExecutionEntity, calledProcessInstanceId: string): void {
    this.context.session.updateById(HI_ACTIVITY_INSTANCE, token.activityInstanceId as string, { calledProcessInstanceId });
  }

  taskCreated(task: TaskEntity): void {
    this.context.session.insert(HI_TASK, {
      id: task.id,
      name: task.name,
      description: task.description,
      assignee: task.assignee,
      owner: task.owner,
      priority: task.priority,
      dueDate: task.dueDate,
      followUpDate: task.followUpDate,
      startTime: task.createTime,
      endTime: null,
      durationMs: null,
      deleteReason: null,
      taskDefinitionKey: task.taskDefinitionKey,
      executionId: task.executionId,
      processInstanceId: task.processInstanceId,
      processDefinitionId: task.processDefinitionId,
      activityInstanceId: task.activityInstanceId,
      tenantId: task.tenantId,
      parentTaskId: task.parentTaskId,
      signState: task.parentTaskId ? task.signState : null,
      timeLimitMs: task.timeLimitMs,
      previousTaskId: task.previousTaskId,
    });
    // an added signer's task (加签) works beside its parent, which stays the activity's task
    if (!task.parentTaskId) this.context.session.updateById(HI_ACTIVITY_INSTANCE, task.activityInstanceId, { taskId: task.id, assignee: task.assignee });
  }

  /** `completed`, or why the task was removed (`deleted`, `terminated`, ...). */
  taskEnded(task: TaskEntity, reason: string): void {
    this.context.session.updateById(HI_TASK, task.id, {
      endTime: this.context.now(),
      durationMs: this.since(task.createTime),
      deleteReason: reason,
      assignee: task.assignee,
    });
  }

  private since(start: Date): number {
    return this.context.now().getTime() - start.getTime();
  }
}
