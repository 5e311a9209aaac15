import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError } from '../../errors/index.js';
import { EVENT_SUBSCRIPTION, JOB, type EventSubscriptionEntity, type ExecutionEntity } from '../../persistence/index.js';
import { parseTimer, TimerSyntaxError } from '../../timer/index.js';
import type { Activity, BoundaryEventActivity, EventTrigger } from '../model/index.js';
import { callerOf } from './call-activity.js';
import { asOptionalString } from './evaluation.js';
import { raiseIncident } from './incidents.js';
import { insertJob } from './job-rows.js';
import type { InstanceRuntime } from './runtime.js';

type TimerTrigger = Extract<EventTrigger, { type: 'timer' }>;
type NamedTrigger = Extract<EventTrigger, { type: 'message' | 'signal' }>;

/**
 * The token starts waiting for `event` (a catch event, a receive task, a boundary event, an event
 * after an event-based gateway): a timer job or a message or signal subscription, which carries
 * the event's id so that the trigger knows where the token goes.
 */
export async function waitFor(runtime: InstanceRuntime, token: ExecutionEntity, event: Activity, trigger: EventTrigger): Promise<void> {
  if (trigger.type === 'timer') await scheduleTimer(runtime, token, event, trigger);
  else if (trigger.type !== 'error') await subscribe(runtime, token, event, trigger);
}

/** The host token of an activity with boundary events starts waiting for each of them (errors need no waiting). */
export async function attachBoundaryEvents(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity): Promise<void> {
  for (const boundary of activity.boundaryEvents) await waitFor(runtime, token, boundary, boundary.trigger);
}

/** The token no longer waits for anything: its timers and subscriptions go. */
export async function stopWaiting(runtime: InstanceRuntime, token: ExecutionEntity): Promise<void> {
  const work = await runtime.openWork();
  for (const job of work.jobs) if (job.executionId === token.id) runtime.context.session.delete(JOB, job);
  for (const subscription of work.subscriptions) {
    if (subscription.executionId === token.id) runtime.context.session.delete(EVENT_SUBSCRIPTION, subscription);
  }
}

async function scheduleTimer(runtime: InstanceRuntime, token: ExecutionEntity, event: Activity, trigger: TimerTrigger): Promise<void> {
  const { context } = runtime;
  const timer = await evaluateTimer(runtime, token, event, trigger);
  const job = insertJob(context, {
    handlerType: 'timer',
    dueDate: timer.dueDate,
    processInstanceId: token.processInstanceId,
    executionId: token.id,
    processDefinitionId: runtime.process.definition.id,
    processDefinitionKey: runtime.process.definition.key,
    activityId: event.id,
    repeat: timer.repeat,
    tenantId: token.tenantId,
  });
  runtime.recordCreated({ jobs: [job] });
}

/**
 * A timer's due date: a Date from an expression is taken as it is; text is read as the trigger's
 * timer type says. A cycle keeps its text so that the next firing can be computed.
 */
async function evaluateTimer(runtime: InstanceRuntime, token: ExecutionEntity, event: Activity, trigger: TimerTrigger) {
  const what = `The ${trigger.timerType} of timer '${event.id}'`;
  const value = await runtime.evaluate(trigger.definition, token, what);
  if (value instanceof Date && trigger.timerType === 'timeDate') return { dueDate: value, repeat: null };
  const text = asOptionalString(value instanceof Date ? value.toISOString() : value);
  if (!text) throw new BadUserRequestError(`${what} (${trigger.definition.source}) evaluated to nothing`);
  try {
    const schedule = parseTimer(trigger.timerType, text, { timeZone: runtime.context.environment.timeZone });
    return { dueDate: schedule.firstDue(runtime.context.now()), repeat: schedule.repeating ? text : null };
  } catch (error) {
    if (error instanceof TimerSyntaxError) throw new BadUserRequestError(`${what} (${trigger.definition.source}) is invalid: ${error.message}`, { cause: error });
    throw error;
  }
}

async function subscribe(runtime: InstanceRuntime, token: ExecutionEntity, event: Activity, trigger: NamedTrigger): Promise<void> {
  const name = asOptionalString(await runtime.evaluate(trigger.name, token, `The ${trigger.type} name of '${event.id}'`));
  if (!name) throw new BadUserRequestError(`The ${trigger.type} name of '${event.id}' (${trigger.name.source}) evaluated to nothing`);
  const subscription = runtime.context.session.insert(EVENT_SUBSCRIPTION, {
    id: runtime.context.newId(),
    rev: 1,
    eventType: trigger.type,
    eventName: name,
    executionId: token.id,
    processInstanceId: token.processInstanceId,
    processDefinitionId: token.processDefinitionId,
    activityId: event.id,
    tenantId: token.tenantId,
    createTime: runtime.context.now(),
  });
  runtime.recordCreated({ subscriptions: [subscription] });
  createdSubscriptions(runtime.context).push(subscription);
}

/**
 * Subscriptions created by this command and not yet written: a signal thrown later in the same
 * command must reach them, as the database does not know them yet.
 */
export function createdSubscriptions(context: CommandContext): EventSubscriptionEntity[] {
  const key = 'eventSubscriptions:created';
  let created = context.attachments.get(key) as EventSubscriptionEntity[] | undefined;
  if (!created) {
    created = [];
    context.attachments.set(key, created);
  }
  return created;
}

/**
 * What a timer, message or signal does when it reaches the token waiting for `eventId`: a boundary
 * event fires on its host, a catch event or receive task moves on, and an event after an
 * event-based gateway wins the race: the gateway's other waits go and the token passes through the event.
 */
export async function eventTriggered(runtime: InstanceRuntime, token: ExecutionEntity, eventId: string): Promise<void> {
  const event = runtime.process.model.activities.get(eventId);
  if (!event) throw new Error(`process ${runtime.process.definition.id} has no event '${eventId}'`);
  if (event.kind === 'boundaryEvent') return triggerBoundary(runtime, token, event);
  await stopWaiting(runtime, token);
  if (token.activityId === event.id) return runtime.signal(token);
  const gateway = runtime.activityOf(token);
  const flow = gateway.outgoing.find((f) => f.targetId === event.id);
  if (gateway.kind !== 'eventBasedGateway' || !flow) throw new Error(`execution ${token.id} at '${token.activityId}' does not wait for '${eventId}'`);
  runtime.arriveTriggered(token);
  return runtime.signal(token, [flow]);
}

/**
 * A boundary event fires on the token of the activity it is attached to. Interrupting: the
 * activity and everything in it is cancelled and the token continues from the boundary event.
 * Non-interrupting: a new token continues from the boundary event and the activity goes on.
 */
export async function triggerBoundary(runtime: InstanceRuntime, host: ExecutionEntity, boundary: BoundaryEventActivity, variables: Record<string, unknown> = {}): Promise<void> {
  if (boundary.cancelActivity) {
    await runtime.cancelActivity(host, `${boundary.activityType} '${boundary.id}'`);
    await runtime.continueFrom(host, boundary, variables);
    return;
  }
  const sibling = runtime.newToken(runtime.execution(host.parentId as string));
  await runtime.continueFrom(sibling, boundary, variables);
}

/**
 * A BPMN error thrown at `thrower` (an error end event, or a worker's error on an external task) is
 * caught by the nearest error boundary event on the way up the scopes: the activity of `searchFrom`,
 * then each enclosing sub-process, then, from a called instance, the call activity that called it
 * and its scopes in the caller (the called instance ends with the cancelled call activity).
 * Uncaught, it becomes an incident at the thrower.
 */
export async function throwBpmnError(runtime: InstanceRuntime, thrower: ExecutionEntity, searchFrom: ExecutionEntity, error: BpmnError): Promise<void> {
  const catcher = await findErrorCatcher(runtime, searchFrom, error.code);
  if (!catcher) {
    raiseUncaughtError(runtime, thrower, error);
    return;
  }
  const { trigger } = catcher.boundary as BoundaryEventActivity & { trigger: Extract<EventTrigger, { type: 'error' }> };
  const variables: Record<string, unknown> = {};
  if (trigger.errorCodeVariable) variables[trigger.errorCodeVariable] = error.code;
  if (trigger.errorMessageVariable) variables[trigger.errorMessageVariable] = error.message;
  await triggerBoundary(catcher.runtime, catcher.host, catcher.boundary, variables);
}

interface ErrorCatcher {
  readonly runtime: InstanceRuntime;
  readonly host: ExecutionEntity;
  readonly boundary: BoundaryEventActivity;
}

async function findErrorCatcher(runtime: InstanceRuntime, searchFrom: ExecutionEntity, code: string | null): Promise<ErrorCatcher | null> {
  // one level per instance: the thrower's, then each caller's from the token waiting in its call activity
  for (let level: { runtime: InstanceRuntime; token: ExecutionEntity } | null = { runtime, token: searchFrom }; level; level = await callerOf(level.runtime)) {
    const { runtime: current } = level;
    for (let host: ExecutionEntity | null = level.token; host && host.id !== current.root.id; host = current.parentOf(host)) {
      const boundary = catchingBoundary(current.activityOf(host), code);
      if (boundary) return { runtime: current, host, boundary };
    }
  }
  return null;
}

export interface BpmnError {
  readonly code: string | null;
  readonly message: string | null;
  /** what threw it, for the incident message: an end event or an external task */
  readonly source: string;
}

/** A boundary for exactly this code wins over a catch-all one. */
function catchingBoundary(activity: Activity, code: string | null): BoundaryEventActivity | undefined {
  const errorBoundaries = activity.boundaryEvents.filter((b) => b.trigger.type === 'error');
  const codeOf = (b: BoundaryEventActivity) => (b.trigger.type === 'error' ? b.trigger.errorCode : null);
  return errorBoundaries.find((b) => code !== null && codeOf(b) === code) ?? errorBoundaries.find((b) => codeOf(b) === null);
}

/**
 * An error nothing catches: the token stops where it is and an incident tells operators, rather
 * than the instance ending as if all went well.
 */
function raiseUncaughtError(runtime: InstanceRuntime, token: ExecutionEntity, error: BpmnError): void {
  const { context } = runtime;
  const incident = raiseIncident(context, {
    incidentType: 'unhandledBpmnError',
    message: `Unhandled BPMN error '${error.code ?? '(no error code)'}'${error.message ? ` (${error.message})` : ''} thrown by ${error.source}: no boundary event catches it`,
    activityId: token.activityId,
    executionId: token.id,
    processInstanceId: token.processInstanceId,
    processDefinitionId: token.processDefinitionId,
    configuration: null,
    tenantId: token.tenantId,
  });
  runtime.recordCreated({ incidents: [incident] });
}
