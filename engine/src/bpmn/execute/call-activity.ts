import type { CommandContext } from '../../command/index.js';
import { ConflictError, ProcessEvaluationError } from '../../errors/index.js';
import type { Expression } from '../../expression/index.js';
import { EXECUTION, PROCESS_DEFINITION, type ExecutionEntity, type ProcessDefinitionEntity, type ProcessInstanceState } from '../../persistence/index.js';
import { Filter } from '../../services/query.js';
import type { DeployedProcess } from '../deployment-cache.js';
import type { CallActivity, CallMapping } from '../model/index.js';
import { asInteger, asOptionalString } from './evaluation.js';
import { InstanceRuntime } from './runtime.js';

/** How a called instance ends when its call activity is cancelled: as its caller ends (deleted) or from inside the caller. */
export type TerminationState = Extract<ProcessInstanceState, 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED'>;

/** A variable an in- or out-mapping passes on, and whether it is set on the receiving execution itself. */
interface PassedVariable {
  readonly name: string;
  readonly value: unknown;
  readonly local: boolean;
}

/**
 * The call activity's token starts an instance of the called process and waits for it: the new
 * instance's root points back at the token (`superExecutionId`), gets the in-mapped variables and
 * business key, and runs in this command up to its first wait state (or to its end, which moves
 * the token on at once). Like Camunda's, the call activity is a scope: its local variables (local
 * out-mappings) end with it.
 */
export async function startCalledInstance(runtime: InstanceRuntime, token: ExecutionEntity, activity: CallActivity): Promise<void> {
  const process = await resolveCalledProcess(runtime, token, activity);
  const { variables, businessKey } = await inputsOf(runtime, token, activity);
  token.isScope = true;
  const called = InstanceRuntime.create(runtime.context, process, businessKey, token.id);
  calledInstances(runtime.context).set(token.id, called.root.id);
  runtime.history.activityCalled(token, called.root.id);
  await called.start(Object.fromEntries(variables.map((v) => [v.name, v.value])));
}

/**
 * The called instance completed: its out-mappings are evaluated in it, it ends, and its caller's
 * token takes the results and leaves the call activity, in the same command. `end` ends the
 * called instance (it drops the instance's variables, so the mappings are evaluated before).
 */
export async function completeCalledInstance(called: InstanceRuntime, end: () => Promise<void>): Promise<void> {
  const caller = await callerOf(called);
  if (!caller) {
    await end();
    return;
  }
  const activity = callActivityOf(caller.runtime, caller.token);
  const results = await passedVariables(called, called.root, activity.outMappings, `camunda:out of call activity '${activity.id}'`);
  await end();
  for (const { name, value, local } of results) {
    const chain = local ? [caller.token] : caller.runtime.chain(caller.token);
    await caller.runtime.variables.set(chain, name, value, { local, activityInstanceId: caller.token.activityInstanceId });
  }
  await caller.runtime.signal(caller.token);
}

/**
 * The execution's activity is cancelled (an interrupting boundary event, a terminate end event,
 * the caller deleted): when it is a call activity, the instance it called ends too, and that
 * instance's own called instances with it.
 */
export async function cancelCalledInstance(runtime: InstanceRuntime, execution: ExecutionEntity, reason: string, state: TerminationState): Promise<void> {
  const activity = execution.activityId ? runtime.process.model.activities.get(execution.activityId) : undefined;
  if (activity?.kind !== 'callActivity') return;
  const calledId = calledInstances(runtime.context).get(execution.id) ?? (await storedCalledInstanceId(runtime.context, execution.id));
  if (!calledId) return;
  const called = await InstanceRuntime.load(runtime.context, calledId);
  if (!called.ended) await called.terminate(reason, state);
}

/**
 * A called instance was deleted on its own: as in Camunda, the call activity waiting for it is
 * cancelled, and an instance that leaves without tokens ends, up through its own callers.
 */
export async function cancelCallingActivity(called: InstanceRuntime, reason: string): Promise<void> {
  const caller = await callerOf(called);
  if (!caller) return;
  await caller.runtime.cancelToken(caller.token, reason);
  if (caller.runtime.ended) await cancelCallingActivity(caller.runtime, reason);
}

/** The caller's runtime and its token waiting at the call activity; null for an instance nobody called. */
export async function callerOf(called: InstanceRuntime): Promise<{ runtime: InstanceRuntime; token: ExecutionEntity } | null> {
  const superExecutionId = called.root.superExecutionId;
  if (!superExecutionId) return null;
  const superExecution = await called.context.session.findById(EXECUTION, superExecutionId);
  if (!superExecution) throw new Error(`called process instance ${called.root.id} waits in execution ${superExecutionId}, which no longer exists`);
  const runtime = await InstanceRuntime.load(called.context, superExecution.processInstanceId);
  return { runtime, token: runtime.execution(superExecutionId) };
}

function callActivityOf(runtime: InstanceRuntime, token: ExecutionEntity): CallActivity {
  const activity = runtime.activityOf(token);
  if (activity.kind !== 'callActivity') throw new Error(`execution ${token.id} called a process but stands on '${activity.id}'`);
  return activity;
}

/**
 * Called instances started by this command, by the call activity's token: their rows are not
 * written yet, so a cancellation in the same command could not find them in the database.
 */
function calledInstances(context: CommandContext): Map<string, string> {
  const key = 'callActivity:calledInstances';
  let started = context.attachments.get(key) as Map<string, string> | undefined;
  if (!started) {
    started = new Map();
    context.attachments.set(key, started);
  }
  return started;
}

async function storedCalledInstanceId(context: CommandContext, superExecutionId: string): Promise<string | null> {
  const [root] = await context.session.select(EXECUTION, 'super_execution_id = $1', [superExecutionId]);
  return root?.id ?? null;
}

/* ---- which definition is called ---- */

/**
 * The definition `calledElement` names, by the binding: the latest version, the one deployed
 * with the caller, a given version or version tag; within `calledElementTenantId`, by default the
 * caller's tenant (definitions without a tenant when the caller has none).
 */
async function resolveCalledProcess(runtime: InstanceRuntime, token: ExecutionEntity, activity: CallActivity): Promise<DeployedProcess> {
  const what = (attribute: string) => `${attribute} of call activity '${activity.id}'`;
  const key = asOptionalString(await runtime.evaluate(activity.calledElement, token, what('calledElement')));
  if (!key) throw new ProcessEvaluationError(`${what('calledElement')} (${activity.calledElement.source}) evaluated to nothing`);
  const tenantId = activity.tenantId
    ? asOptionalString(await runtime.evaluate(activity.tenantId, token, what('camunda:calledElementTenantId')))
    : runtime.process.definition.tenantId;
  const candidates = await findCandidates(runtime, token, activity, key, tenantId);
  const [definition] = candidates;
  const described = `process '${key}'${describeBinding(activity)}${tenantId ? ` of tenant '${tenantId}'` : ''}`;
  if (!definition) throw new ProcessEvaluationError(`Call activity '${activity.id}' calls ${described}, but no such process definition is deployed`);
  if (candidates.length > 1) throw new ProcessEvaluationError(`Call activity '${activity.id}' calls ${described}, but ${candidates.length} definitions have that version tag`);
  if (definition.suspended) throw new ConflictError(`Call activity '${activity.id}' calls process definition '${definition.id}', which is suspended and cannot start instances`);
  return runtime.context.environment.deployments.get(runtime.context.session, definition.id);
}

async function findCandidates(runtime: InstanceRuntime, token: ExecutionEntity, activity: CallActivity, key: string, tenantId: string | null): Promise<ProcessDefinitionEntity[]> {
  const select = (filter: Filter, suffix = '') => runtime.context.session.select(PROCESS_DEFINITION, filter.where, filter.bindings, suffix);
  const sameKey = new Filter().equals('key_', key);
  switch (activity.binding) {
    case 'latest':
      return select(sameKey.equals('tenant_id', tenantId), 'ORDER BY version DESC LIMIT 1');
    case 'deployment':
      return select(sameKey.equals('deployment_id', runtime.process.definition.deploymentId));
    case 'version': {
      const expression = activity.version as Expression;
      const attribute = `camunda:calledElementVersion of call activity '${activity.id}'`;
      const version = asInteger(await runtime.evaluate(expression, token, attribute), attribute, expression);
      return select(sameKey.equals('version', version).equals('tenant_id', tenantId));
    }
    case 'versionTag': {
      const expression = activity.versionTag as Expression;
      const attribute = `camunda:calledElementVersionTag of call activity '${activity.id}'`;
      const versionTag = asOptionalString(await runtime.evaluate(expression, token, attribute));
      if (!versionTag) throw new ProcessEvaluationError(`${attribute} (${expression.source}) evaluated to nothing`);
      return select(sameKey.equals('version_tag', versionTag).equals('tenant_id', tenantId));
    }
  }
}

function describeBinding(activity: CallActivity): string {
  switch (activity.binding) {
    case 'latest':
      return '';
    case 'deployment':
      return ' from the caller\'s deployment';
    case 'version':
      return ` version ${activity.version?.source ?? ''}`;
    case 'versionTag':
      return ` with version tag ${activity.versionTag?.source ?? ''}`;
  }
}

/* ---- variable mappings ---- */

/** The in-mapped variables, evaluated at the call activity's token, and the business key for the called instance. */
async function inputsOf(runtime: InstanceRuntime, token: ExecutionEntity, activity: CallActivity): Promise<{ variables: PassedVariable[]; businessKey: string | null }> {
  const what = `camunda:in of call activity '${activity.id}'`;
  const variables = await passedVariables(runtime, token, activity.inMappings, what);
  let businessKey: string | null = null;
  for (const mapping of activity.inMappings) {
    if (mapping.kind === 'businessKey') businessKey = asOptionalString(await runtime.evaluate(mapping.value, token, `${what} businessKey`));
  }
  return { variables, businessKey };
}

/**
 * What the mappings pass, read at `execution` of `runtime`: `all` its visible variables (only its
 * own with `local`), `source` one variable (null when it does not exist, as in Camunda; only its
 * own with `local`), `sourceExpression` the expression's value. Stored types are kept.
 */
async function passedVariables(runtime: InstanceRuntime, execution: ExecutionEntity, mappings: readonly CallMapping[], what: string): Promise<PassedVariable[]> {
  const passed: PassedVariable[] = [];
  for (const mapping of mappings) {
    if (mapping.kind === 'businessKey') continue;
    if (mapping.kind === 'expression') {
      const value = await runtime.evaluate(mapping.source, execution, `${what} for '${mapping.target}'`);
      passed.push({ name: mapping.target, value, local: mapping.local });
      continue;
    }
    const visible = await runtime.variables.visible(mapping.local ? [execution] : runtime.chain(execution));
    if (mapping.kind === 'all') {
      for (const [name, value] of visible) passed.push({ name, value, local: mapping.local });
    } else {
      passed.push({ name: mapping.target, value: visible.get(mapping.source) ?? null, local: mapping.local });
    }
  }
  return passed;
}
