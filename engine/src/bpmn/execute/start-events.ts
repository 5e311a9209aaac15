import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError, ConflictError } from '../../errors/index.js';
import { ExpressionError, variablesOf, type Expression } from '../../expression/index.js';
import { EVENT_SUBSCRIPTION, JOB, PROCESS_DEFINITION, type ProcessDefinitionEntity } from '../../persistence/index.js';
import { parseTimer } from '../../timer/index.js';
import type { DeployedProcess } from '../deployment-cache.js';
import type { StartEventActivity } from '../model/index.js';
import { insertJob } from './job-rows.js';
import { InstanceRuntime } from './runtime.js';

export interface EventStart {
  readonly businessKey?: string | null;
  readonly variables?: Record<string, unknown>;
}

/** A new instance of the definition begins at one of its timer, message or signal start events. */
export async function startByEvent(context: CommandContext, definitionId: string, startEventId: string, input: EventStart = {}): Promise<InstanceRuntime> {
  const process = await context.environment.deployments.get(context.session, definitionId);
  if (process.definition.suspended) throw new ConflictError(`Process definition '${definitionId}' is suspended and cannot start instances`);
  const startEvent = process.model.eventStarts.find((start) => start.id === startEventId);
  if (!startEvent) throw new Error(`process definition ${definitionId} has no event start '${startEventId}'`);
  const runtime = InstanceRuntime.create(context, process, input.businessKey ?? null);
  await runtime.start(input.variables ?? {}, startEvent);
  return runtime;
}

/**
 * A newly deployed version takes over its key's start events: the previous version's timer start
 * jobs and message and signal start subscriptions go, the new version's are created. Instances
 * already running are not touched.
 */
export async function takeOverStartEvents(context: CommandContext, process: DeployedProcess, previous: ProcessDefinitionEntity | null): Promise<void> {
  const { session } = context;
  if (previous) {
    for (const job of await session.select(JOB, "process_definition_id = $1 AND handler_type = 'timer-start'", [previous.id])) session.delete(JOB, job);
    for (const subscription of await session.select(EVENT_SUBSCRIPTION, 'process_definition_id = $1 AND execution_id IS NULL', [previous.id])) {
      session.delete(EVENT_SUBSCRIPTION, subscription);
    }
  }
  for (const start of process.model.eventStarts) await createStartWait(context, process, start);
}

async function createStartWait(context: CommandContext, process: DeployedProcess, start: StartEventActivity): Promise<void> {
  const { definition } = process;
  const trigger = start.trigger;
  if (!trigger || trigger.type === 'error') return;
  if (trigger.type === 'timer') {
    const text = evaluateAtDeploy(trigger.definition, start.id);
    const schedule = parseTimer(trigger.timerType, text, { timeZone: context.environment.timeZone });
    insertJob(context, {
      handlerType: 'timer-start',
      dueDate: schedule.firstDue(context.now()),
      processDefinitionId: definition.id,
      processDefinitionKey: definition.key,
      activityId: start.id,
      repeat: schedule.repeating ? text : null,
      tenantId: definition.tenantId,
    });
    return;
  }
  const eventName = evaluateAtDeploy(trigger.name, start.id);
  if (trigger.type === 'message') await checkMessageStartIsUnique(context, definition, eventName);
  context.session.insert(EVENT_SUBSCRIPTION, {
    id: context.newId(),
    rev: 1,
    eventType: trigger.type,
    eventName,
    executionId: null,
    processInstanceId: null,
    processDefinitionId: definition.id,
    activityId: start.id,
    tenantId: definition.tenantId,
    createTime: context.now(),
  });
}

/** A message starts at most one process (per tenant): otherwise a correlation could not choose. */
async function checkMessageStartIsUnique(context: CommandContext, definition: ProcessDefinitionEntity, messageName: string): Promise<void> {
  const tenantClause = definition.tenantId === null ? 'tenant_id IS NULL' : 'tenant_id = $2';
  const bind = definition.tenantId === null ? [messageName] : [messageName, definition.tenantId];
  const [other] = await context.session.select(EVENT_SUBSCRIPTION, `event_type = 'message' AND execution_id IS NULL AND event_name = $1 AND ${tenantClause}`, bind);
  if (other) {
    throw new BadUserRequestError(
      `Cannot deploy process definition '${definition.key}': process definition '${other.processDefinitionId}' already starts on message '${messageName}'`,
    );
  }
}

/** A start event has no instance whose variables an expression could read: it is evaluated once, at deploy. */
function evaluateAtDeploy(expression: Expression, startEventId: string): string {
  try {
    return String(expression.evaluate(NO_VARIABLES));
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new BadUserRequestError(`The start event '${startEventId}' cannot be deployed: ${error.message} (start events are evaluated without variables)`, { cause: error });
  }
}

const NO_VARIABLES = variablesOf({});

/** The definition that was the latest of its key before this deployment, if any. */
export async function previousLatest(context: CommandContext, definition: ProcessDefinitionEntity): Promise<ProcessDefinitionEntity | null> {
  const tenantClause = definition.tenantId === null ? 'tenant_id IS NULL' : 'tenant_id = $3';
  const bind = definition.tenantId === null ? [definition.key, definition.version] : [definition.key, definition.version, definition.tenantId];
  const [found] = await context.session.select(PROCESS_DEFINITION, `key_ = $1 AND version < $2 AND ${tenantClause}`, bind, 'ORDER BY version DESC LIMIT 1');
  return found ?? null;
}
