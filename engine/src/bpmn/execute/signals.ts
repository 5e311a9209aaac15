import type { CommandContext } from '../../command/index.js';
import { EVENT_SUBSCRIPTION, type EventSubscriptionEntity } from '../../persistence/index.js';
import { createdSubscriptions, eventTriggered } from './events.js';
import { InstanceRuntime } from './runtime.js';
import { startByEvent } from './start-events.js';

export interface SignalDelivery {
  readonly variables?: Record<string, unknown>;
  /** only subscriptions of this tenant and those without a tenant; undefined: all */
  readonly tenantId?: string | null;
  /** only the subscription of this execution (Camunda's `executionId` on signal) */
  readonly executionId?: string;
}

/**
 * A signal reaches every subscription waiting for its name at this moment, within this command:
 * catch events and boundary events move on, signal start events start new instances. Answers how
 * many it reached (a signal nobody waits for is not an error, unlike a message).
 */
export async function broadcastSignal(context: CommandContext, name: string, delivery: SignalDelivery): Promise<number> {
  const subscriptions = await waitingFor(context, name, delivery);
  let reached = 0;
  for (const subscription of subscriptions) {
    if (context.session.isDeleted(EVENT_SUBSCRIPTION, subscription.id)) continue; // cancelled by an earlier delivery
    if (subscription.executionId === null) {
      await startByEvent(context, subscription.processDefinitionId as string, subscription.activityId, { variables: delivery.variables });
      reached += 1;
      continue;
    }
    const runtime = await InstanceRuntime.load(context, subscription.processInstanceId as string);
    const token = runtime.findExecution(subscription.executionId);
    if (!token) continue;
    await runtime.setVariables(token, delivery.variables ?? {});
    await eventTriggered(runtime, token, subscription.activityId);
    reached += 1;
  }
  return reached;
}

async function waitingFor(context: CommandContext, name: string, delivery: SignalDelivery): Promise<EventSubscriptionEntity[]> {
  const stored = await context.session.select(EVENT_SUBSCRIPTION, "event_type = 'signal' AND event_name = $1", [name], 'ORDER BY create_time');
  const created = createdSubscriptions(context).filter((s) => s.eventType === 'signal' && s.eventName === name);
  return [...stored, ...created.filter((s) => !stored.includes(s))].filter(
    (s) =>
      (delivery.tenantId === undefined || s.tenantId === null || s.tenantId === delivery.tenantId) &&
      (delivery.executionId === undefined || s.executionId === delivery.executionId),
  );
}
