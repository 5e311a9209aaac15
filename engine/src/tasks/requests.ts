import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { CASE_REQUEST, TASK, type CaseRequestEntity, type CaseRequestKind } from '../persistence/index.js';
import { notify } from '../notifications/index.js';
import { extendTaskLimit } from './deadlines.js';
import { openTaskFor, type OperationInput } from './operation.js';
import { terminateCase } from './terminate.js';
import { recordAction } from './timeline.js';

export interface CaseRequestInput extends OperationInput {
  /** working time asked for (延期 only) */
  readonly extensionMs?: number;
}

const OPERATION_OF: Record<CaseRequestKind, 'extend' | 'void'> = { extension: 'extend', void: 'void' };
const NAME_OF: Record<CaseRequestKind, string> = { extension: '延期', void: '作废' };

/**
 * 延期 and 作废 are asked for from a task that offers them and wait for an approver
 * (`case-request:approve`); one open request of a kind per case.
 */
export class RequestCaseChangeCmd implements Command<CaseRequestEntity> {
  readonly name = 'RequestCaseChange';

  constructor(
    private readonly taskId: string,
    private readonly kind: CaseRequestKind,
    private readonly input: CaseRequestInput,
  ) {}

  async execute(context: CommandContext): Promise<CaseRequestEntity> {
    const { task } = await openTaskFor(context, this.taskId, OPERATION_OF[this.kind], 'complete');
    if (this.kind === 'extension') {
      if (task.timeLimitMs === null) throw new ConflictError(`Task '${task.id}' has no time limit to extend (延期)`);
      if (!this.input.extensionMs || this.input.extensionMs <= 0) throw new BadUserRequestError('An extension (延期) request needs the working time asked for');
    }
    const [pending] = await context.session.select(CASE_REQUEST, 'process_instance_id = $1 AND kind = $2 AND state = $3', [task.processInstanceId, this.kind, 'pending']);
    if (pending) throw new ConflictError(`Case '${task.processInstanceId}' already has a ${NAME_OF[this.kind]} request waiting (${pending.id}, by ${pending.requestedBy})`);
    const request = context.session.insert(CASE_REQUEST, {
      id: context.newId(), rev: 1, tenantId: task.tenantId, processInstanceId: task.processInstanceId, taskId: task.id, kind: this.kind,
      requestedBy: context.userId ?? 'engine', requestedAt: context.now(), reason: this.input.comment?.trim() || null,
      extensionMs: this.kind === 'extension' ? (this.input.extensionMs ?? null) : null,
      state: 'pending', decidedBy: null, decidedAt: null, decisionComment: null, openKey: `${task.processInstanceId}:${this.kind}`,
    });
    await recordAction(context, {
      processInstanceId: task.processInstanceId, tenantId: task.tenantId, task, operation: `${this.kind}-request`, input: this.input,
      target: { requestId: request.id, ...(request.extensionMs !== null ? { extensionMs: request.extensionMs } : {}) },
    });
    return request;
  }
}

/**
 * An approver decides a waiting request — never their own. Approving an extension lengthens the
 * task's time limit (the task must still be open); approving voiding ends the case. The request's
 * revision makes a concurrent second decision a 409.
 */
export class DecideCaseRequestCmd implements Command<CaseRequestEntity> {
  readonly name = 'DecideCaseRequest';

  constructor(
    private readonly requestId: string,
    private readonly approved: boolean,
    private readonly input: OperationInput = {},
  ) {}

  async execute(context: CommandContext): Promise<CaseRequestEntity> {
    const request = await context.session.findById(CASE_REQUEST, this.requestId);
    if (!request) throw new NotFoundError(`Request '${this.requestId}' does not exist`);
    if (request.state !== 'pending') throw new ConflictError(`Request '${request.id}' was already decided: ${request.state} by ${request.decidedBy}`);
    if (request.requestedBy === context.userId) throw new ForbiddenError(`Request '${request.id}' is ${context.userId}'s own: someone else must decide it`);
    Object.assign(request, {
      state: this.approved ? 'approved' : 'rejected', decidedBy: context.userId, decidedAt: context.now(), decisionComment: this.input.comment?.trim() || null, openKey: null,
    });
    const outcome = `${request.kind}-${this.approved ? 'approved' : 'rejected'}`;
    await recordAction(context, { processInstanceId: request.processInstanceId, tenantId: request.tenantId, operation: outcome, input: this.input, target: { requestId: request.id } });
    await notify(context, {
      tenantId: request.tenantId, userIds: [request.requestedBy], kind: 'request-decided',
      title: `${NAME_OF[request.kind]}申请${this.approved ? '已批准' : '未批准'}`, body: request.decisionComment, processInstanceId: request.processInstanceId, taskId: request.taskId,
    });
    if (this.approved) await this.carryOut(context, request);
    return request;
  }

  private async carryOut(context: CommandContext, request: CaseRequestEntity): Promise<void> {
    if (request.kind === 'void') {
      await terminateCase(context, request.processInstanceId, `voided: ${request.reason ?? request.id}`, 'void', {});
      return;
    }
    const task = request.taskId ? await context.session.findById(TASK, request.taskId) : null;
    if (!task) throw new ConflictError(`The task of request '${request.id}' has ended: there is no time limit left to extend`);
    await extendTaskLimit(context, task, request.extensionMs ?? 0);
  }
}
