import type { Command, CommandContext } from '../../command/index.js';
import { broadcastSignal, eventTriggered, InstanceRuntime, startByEvent } from '../../bpmn/execute/index.js';
import { BadUserRequestError, MismatchingMessageCorrelationError } from '../../errors/index.js';
import { EVENT_SUBSCRIPTION, type EventSubscriptionEntity, type SqlValue } from '../../persistence/index.js';
import { toStoredValue, toTypedValue, type VariableMap } from '../../variables/index.js';
import { Filter } from '../query.js';

export interface MessageCorrelation {
  readonly messageName: string;
  /** only the instance with this business key; a message start event gives the new instance this key */
  readonly businessKey?: string;
  readonly processInstanceId?: string;
  /** process variables (of the instance itself) the instance must hold with these values */
  readonly correlationKeys?: Readonly<Record<string, unknown>>;
  /** set on each instance the message reaches (or starts) before it moves on */
  readonly processVariables?: VariableMap;
  /** only subscriptions of this tenant; undefined: any */
  readonly tenantId?: string | null;
  /** deliver to every match instead of requiring exactly one */
  readonly all?: boolean;
}

export interface MessageCorrelationResult {
  /** `Execution`: a waiting instance moved on; `ProcessDefinition`: a message start event started one */
  readonly resultType: 'Execution' | 'ProcessDefinition';
  readonly processInstanceId: string;
  readonly executionId: string | null;
  readonly processDefinitionId: string;
}

/**
 * Delivers a message: first to executions waiting for it (catch events, receive tasks, boundary
 * events, event-based gateways) that match the criteria; when none waits, to the message start
 * event of the latest definition that has one. Exactly one match is required unless `all`; no
 * match at all is an error, never a silent drop.
 */
export class CorrelateMessageCmd implements Command<MessageCorrelationResult[]> {
  readonly name = 'CorrelateMessage';

  constructor(private readonly input: MessageCorrelation) {}

  async execute(context: CommandContext): Promise<MessageCorrelationResult[]> {
    const { messageName } = this.input;
    if (!messageName) throw new BadUserRequestError('A message needs a messageName');
    const waiting = await this.waitingExecutions(context);
    const starts = waiting.length === 0 && this.input.processInstanceId === undefined && !this.input.correlationKeys ? await this.startEvents(context) : [];
    const matches = [...waiting, ...starts];
    if (matches.length === 0) {
      throw new MismatchingMessageCorrelationError(`Cannot correlate message '${messageName}': No process definition or execution matches the parameters`);
    }
    if (matches.length > 1 && !this.input.all) {
      throw new MismatchingMessageCorrelationError(
        `Cannot correlate a message with name '${messageName}' to a single execution. ${matches.length} executions match the correlation keys; correlate with 'all' to reach every one`,
      );
    }
    const results: MessageCorrelationResult[] = [];
    for (const subscription of matches) results.push(await this.deliver(context, subscription));
    return results;
  }

  private async deliver(context: CommandContext, subscription: EventSubscriptionEntity): Promise<MessageCorrelationResult> {
    const variables = this.input.processVariables ?? {};
    if (subscription.executionId === null) {
      const definitionId = subscription.processDefinitionId as string;
      const runtime = await startByEvent(context, definitionId, subscription.activityId, { businessKey: this.input.businessKey ?? null, variables });
      return { resultType: 'ProcessDefinition', processInstanceId: runtime.root.id, executionId: null, processDefinitionId: definitionId };
    }
    const runtime = await InstanceRuntime.load(context, subscription.processInstanceId as string);
    const token = runtime.execution(subscription.executionId);
    await runtime.setVariables(token, variables);
    await eventTriggered(runtime, token, subscription.activityId);
    return { resultType: 'Execution', processInstanceId: runtime.root.id, executionId: token.id, processDefinitionId: runtime.root.processDefinitionId };
  }

  private waitingExecutions(context: CommandContext): Promise<EventSubscriptionEntity[]> {
    const { businessKey, processInstanceId, correlationKeys = {} } = this.input;
    const filter = this.subscriptionFilter().isNull('execution_id', false).equals('process_instance_id', processInstanceId);
    if (businessKey !== undefined) filter.raw('process_instance_id IN (SELECT id FROM execution WHERE parent_id IS NULL AND business_key = ?)', businessKey);
    for (const [name, value] of Object.entries(correlationKeys)) {
      const { clause, values } = storedValueClause(name, value);
      filter.raw(`process_instance_id IN (SELECT execution_id FROM variable WHERE execution_id = process_instance_id AND name = ? AND ${clause})`, name, ...values);
    }
    return context.session.select(EVENT_SUBSCRIPTION, filter.where, filter.bindings, 'ORDER BY create_time, id');
  }

  private startEvents(context: CommandContext): Promise<EventSubscriptionEntity[]> {
    const filter = this.subscriptionFilter().isNull('execution_id', true);
    return context.session.select(EVENT_SUBSCRIPTION, filter.where, filter.bindings, 'ORDER BY create_time, id');
  }

  private subscriptionFilter(): Filter {
    return new Filter().equals('event_type', 'message').equals('event_name', this.input.messageName).equals('tenant_id', this.input.tenantId);
  }
}

/**
 * A correlation key compares with the variable's stored column, as it was written: text with text,
 * numbers with either number column, booleans and dates with their numeric form.
 */
export function storedValueClause(name: string, value: unknown): { clause: string; values: SqlValue[] } {
  const stored = toStoredValue(toTypedValue(name, value));
  switch (stored.type) {
    case 'integer':
    case 'long':
    case 'double': {
      const number = stored.longValue ?? stored.doubleValue;
      return { clause: '(long_value = ? OR double_value = ?)', values: [number, number] };
    }
    case 'boolean':
    case 'date':
      return { clause: 'type = ? AND long_value = ?', values: [stored.type, stored.longValue] };
    case 'string':
    case 'json':
      return { clause: 'text_value = ?', values: [stored.textValue] };
    default:
      throw new BadUserRequestError(`Correlation key '${name}' must be a string, number, boolean, date or JSON value, not ${stored.type}`);
  }
}

export interface SignalInput {
  readonly name: string;
  readonly variables?: VariableMap;
  readonly tenantId?: string | null;
  /** deliver only to this execution's subscription */
  readonly executionId?: string;
}

/** Throws a signal from outside: every subscription waiting for it now is reached; none waiting is fine. */
export class SignalCmd implements Command<number> {
  readonly name = 'Signal';

  constructor(private readonly input: SignalInput) {}

  async execute(context: CommandContext): Promise<number> {
    if (!this.input.name) throw new BadUserRequestError('A signal needs a name');
    const reached = await broadcastSignal(context, this.input.name, {
      variables: this.input.variables,
      tenantId: this.input.tenantId,
      executionId: this.input.executionId,
    });
    if (this.input.executionId !== undefined && reached === 0) {
      throw new BadUserRequestError(`Execution '${this.input.executionId}' does not wait for signal '${this.input.name}'`);
    }
    return reached;
  }
}
