import type { Actor } from '../command/index.js';
import { NotFoundError } from '../errors/index.js';
import { tenantScope, type Principal } from '../identity/index.js';
import { DbSession } from '../persistence/index.js';
import type { EngineServices, ProcessEngine } from '../services/index.js';
import { fromStoredValue } from '../variables/index.js';
import { AssignExchangeTaskCmd, type AssignmentInput } from './assignments.js';
import { EXCHANGE_ASSIGNMENT, type ExchangeAssignmentEntity } from './tables.js';

export type AssignmentState = 'open' | 'closed' | 'voided';

/** What a partner is told about its task. */
export interface AssignmentStatus {
  readonly externalId: string;
  readonly processInstanceId: string;
  /** the case's business key: the partner's id */
  readonly caseNumber: string | null;
  /** 案卷编号, once the case is registered (立案) */
  readonly caseCode: string | null;
  /** closed: ended at an end event; voided: terminated, rejected (不立案), voided or deleted */
  readonly state: AssignmentState;
  readonly received: Date;
  readonly endedAt: Date | null;
  /** what the `cc-report-back` worker recorded when it reported the closed case upward; null before */
  readonly reportBack: unknown;
  readonly reportedBackAt: string | null;
}

/**
 * Tasks national and regional supervision platforms assign (上级交办), through the exchange
 * partners' API: each becomes a case of the partner's tenant (the tenant of its API key) by the
 * assignment message, once per `externalId`; the partner reads its state and, once closed, the
 * report-back record.
 */
export class ExchangeService {
  constructor(private readonly engine: ProcessEngine) {}

  /**
   * Starts the case of a new task, or finds the one a task of the same `externalId` started.
   * Two requests with one new id at once: one starts the case, the other's insert fails the unique
   * index at commit (nothing of it stays) and it answers the winner's case.
   */
  async assign(input: AssignmentInput, principal: Principal, actor: Actor, services: EngineServices): Promise<{ created: boolean; status: AssignmentStatus }> {
    try {
      const { created, assignment } = await this.engine.commandExecutor.execute(new AssignExchangeTaskCmd(input, principal.tenantId), { actor });
      return { created, status: await this.statusOf(assignment, services) };
    } catch (error) {
      const existing = await this.find(principal, input.externalId);
      if (!existing) throw error;
      return { created: false, status: await this.statusOf(existing, services) };
    }
  }

  /** The task's state; 404 for an id the partner's tenant never received. */
  async status(externalId: string, principal: Principal, services: EngineServices): Promise<AssignmentStatus> {
    const assignment = await this.find(principal, externalId);
    if (!assignment) throw new NotFoundError(`没有编号为 '${externalId}' 的交办任务 (no assigned task '${externalId}')`);
    return this.statusOf(assignment, services);
  }

  private async find(principal: Principal, externalId: string): Promise<ExchangeAssignmentEntity | undefined> {
    const [found] = await this.engine.database.read((sql) =>
      new DbSession(sql, tenantScope(principal)).select(EXCHANGE_ASSIGNMENT, 'tenant_id = $1 AND external_id = $2', [principal.tenantId, externalId]),
    );
    return found;
  }

  private async statusOf(assignment: ExchangeAssignmentEntity, services: EngineServices): Promise<AssignmentStatus> {
    const id = assignment.processInstanceId;
    const [instance, rows] = await Promise.all([services.historyService.getProcessInstance(id), services.historyService.listVariables(id)]);
    const variables = new Map(rows.filter((row) => row.state === 'CREATED').map((row) => [row.name, fromStoredValue(row).value]));
    const state: AssignmentState = instance.state === 'COMPLETED' ? 'closed' : instance.endTime ? 'voided' : 'open';
    const text = (name: string) => (typeof variables.get(name) === 'string' ? (variables.get(name) as string) : null);
    return {
      externalId: assignment.externalId, processInstanceId: id, caseNumber: instance.businessKey, caseCode: text('caseCode'), state,
      received: assignment.received, endedAt: instance.endTime,
      reportBack: state === 'closed' ? (variables.get('reportBack') ?? null) : null, reportedBackAt: state === 'closed' ? text('reportedBackAt') : null,
    };
  }
}
