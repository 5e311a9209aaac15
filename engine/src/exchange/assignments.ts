import type { Command, CommandContext } from '../command/index.js';
import { ConflictError, MismatchingMessageCorrelationError } from '../errors/index.js';
import { CorrelateMessageCmd } from '../services/commands/events.js';
import { EXCHANGE_ASSIGNMENT, type ExchangeAssignmentEntity } from './tables.js';

/**
 * The message a partner's assignment is correlated as: the command-and-coordination plugin's
 * `cc_case` starts on it (上级交办, a message start event). Whatever process of the tenant holds the
 * message start takes the task.
 */
export const ASSIGNMENT_MESSAGE = 'cc_upper_assignment';

export interface AssignmentLocation {
  readonly longitude: number;
  readonly latitude: number;
  readonly address?: string;
}

/** A national or regional supervision platform's task, as its exchange sends it. */
export interface AssignmentInput {
  /** the partner's own id of the task: the case's business key and `upperTaskId` */
  readonly externalId: string;
  /** a category code of the tenant's case categories (`cc-case-category`) */
  readonly category: string;
  readonly description: string;
  readonly location: AssignmentLocation;
  /** A 紧急 / B 重大 / C 一般; the process defaults to C */
  readonly urgency?: string;
  /** when the partner wants the result (ISO 8601), kept as `upperDeadline` */
  readonly deadline?: string;
  /** files the partner holds (links), kept as `upperAttachments` */
  readonly attachments?: readonly { readonly name: string; readonly url: string }[];
}

/** Whether the assignment started its case now, and the assignment. */
export interface AssignmentOutcome {
  readonly created: boolean;
  readonly assignment: ExchangeAssignmentEntity;
}

/** The variables the case starts with: what the process reads of an upper-level task (see plugins/command-coordination/README.md). */
export function assignmentVariables(input: AssignmentInput): Record<string, unknown> {
  return {
    upperTaskId: input.externalId,
    category: input.category,
    description: input.description,
    location: { longitude: input.location.longitude, latitude: input.location.latitude, address: input.location.address ?? null },
    address: input.location.address ?? null,
    urgency: input.urgency ?? null,
    upperDeadline: input.deadline ?? null,
    upperAttachments: input.attachments ?? [],
  };
}

/**
 * An exchange partner's task, in one transaction: when the tenant has it already (the same
 * `externalId`), that assignment and nothing written; otherwise the assignment message is
 * correlated in the actor's tenant — starting the case with the partner's id as business key —
 * and the `exchange_assignment` row written. Its unique (tenant, external id) index makes a
 * concurrent duplicate fail at commit (ExchangeService answers it with the winner's case).
 */
export class AssignExchangeTaskCmd implements Command<AssignmentOutcome> {
  readonly name = 'AssignExchangeTask';

  constructor(
    private readonly input: AssignmentInput,
    private readonly tenantId: string,
  ) {}

  async execute(context: CommandContext): Promise<AssignmentOutcome> {
    const { session } = context;
    const [existing] = await session.select(EXCHANGE_ASSIGNMENT, 'tenant_id = $1 AND external_id = $2', [this.tenantId, this.input.externalId]);
    if (existing) return { created: false, assignment: existing };
    const correlated = await new CorrelateMessageCmd({
      messageName: ASSIGNMENT_MESSAGE, businessKey: this.input.externalId, tenantId: this.tenantId, processVariables: assignmentVariables(this.input),
    }).execute(context).catch((error: unknown) => {
      if (error instanceof MismatchingMessageCorrelationError) {
        throw new ConflictError(`本租户不接收上级交办任务 (tenant ${this.tenantId} takes no assigned tasks: no enabled process starts on the message '${ASSIGNMENT_MESSAGE}')`);
      }
      throw error;
    });
    const assignment: ExchangeAssignmentEntity = {
      id: context.newId(), rev: 1, tenantId: this.tenantId, externalId: this.input.externalId, processInstanceId: correlated[0]!.processInstanceId,
      receivedBy: context.userId ?? null, received: context.now(),
    };
    session.insert(EXCHANGE_ASSIGNMENT, assignment);
    context.audit({ action: 'exchange.assign', objectType: 'process-instance', objectId: assignment.processInstanceId, detail: { externalId: this.input.externalId } });
    return { created: true, assignment };
  }
}
