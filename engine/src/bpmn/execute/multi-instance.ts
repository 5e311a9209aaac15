import { ProcessEvaluationError } from '../../errors/index.js';
import type { ExecutionEntity } from '../../persistence/index.js';
import type { MultiInstanceBodyActivity } from '../model/index.js';
import { asBoolean, asInteger, asList } from './evaluation.js';
import type { InstanceRuntime } from './runtime.js';

/** Camunda's loop variables, local to the body's execution; `loopCounter` is local to each instance. */
interface LoopCounts {
  readonly nrOfInstances: number;
  readonly nrOfActiveInstances: number;
  readonly nrOfCompletedInstances: number;
}

/**
 * A multi-instance activity starts: its body's token becomes the scope of the instances, counts
 * them and starts them all (parallel) or the first (sequential). With no instance to run the
 * activity completes at once.
 */
export async function startMultiInstance(runtime: InstanceRuntime, token: ExecutionEntity, body: MultiInstanceBodyActivity): Promise<void> {
  token.isScope = true;
  const elements = body.loop.collection ? await collectionOf(runtime, token, body) : null;
  const nrOfInstances = elements ? elements.length : await cardinalityOf(runtime, token, body);
  const nrOfActiveInstances = body.loop.sequential ? Math.min(nrOfInstances, 1) : nrOfInstances;
  await runtime.setVariables(token, { nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances: 0 } satisfies LoopCounts, true);
  if (nrOfInstances === 0) return runtime.leave(token);
  for (let loopCounter = 0; loopCounter < nrOfActiveInstances; loopCounter += 1) await startInstance(runtime, token, body, loopCounter, elements);
}

/** The body a token is an instance of, or null when the token is not an instance of a multi-instance activity. */
export function multiInstanceBodyOf(runtime: InstanceRuntime, token: ExecutionEntity): ExecutionEntity | null {
  const parent = runtime.parentOf(token);
  return parent?.activityId && runtime.activityOf(parent).kind === 'multiInstanceBody' ? parent : null;
}

/**
 * An instance has left the inner activity (its history and output mappings are done): the body
 * counts it, then either starts the next sequential instance or — all done, or the completion
 * condition holds — cancels the instances still running and leaves through the activity's flows,
 * which happens as the body's last instance token goes.
 */
export async function instanceEnded(runtime: InstanceRuntime, instance: ExecutionEntity, bodyToken: ExecutionEntity): Promise<void> {
  const body = runtime.activityOf(bodyToken) as MultiInstanceBodyActivity;
  const counts = await loopCounts(runtime, bodyToken);
  const nrOfCompletedInstances = counts.nrOfCompletedInstances + 1;
  const nrOfActiveInstances = body.loop.sequential ? counts.nrOfActiveInstances : counts.nrOfActiveInstances - 1;
  await runtime.setVariables(bodyToken, { nrOfCompletedInstances, nrOfActiveInstances }, true);
  // Camunda's forceUpdate: two instances ending in concurrent commands both change the body's row,
  // so one fails its revision check and is retried instead of counting from a stale state
  bodyToken.rev += 1;
  const conditionHolds = await completionConditionHolds(runtime, instance, body);
  if (conditionHolds || nrOfCompletedInstances >= counts.nrOfInstances) {
    await runtime.cancelScopeExcept(bodyToken, instance, `completionCondition of '${body.inner.id}'`);
  } else if (body.loop.sequential) {
    const elements = body.loop.collection ? await collectionOf(runtime, bodyToken, body) : null;
    await startInstance(runtime, bodyToken, body, nrOfCompletedInstances, elements);
  }
  runtime.removeToken(instance);
}

/**
 * One instance: a child token of the body with its `loopCounter` and element variable, entering
 * the inner activity the usual way (async-before, history, input mappings, behaviour).
 */
async function startInstance(
  runtime: InstanceRuntime,
  bodyToken: ExecutionEntity,
  body: MultiInstanceBodyActivity,
  loopCounter: number,
  elements: readonly unknown[] | null,
): Promise<void> {
  const instance = runtime.newToken(bodyToken);
  const locals: Record<string, unknown> = { loopCounter };
  const { elementVariable } = body.loop;
  if (elementVariable && elements) {
    // a sequential activity reads its collection again for each instance, as Camunda does
    if (loopCounter >= elements.length) {
      throw new ProcessEvaluationError(`camunda:collection of multi-instance activity '${body.inner.id}' has no element ${loopCounter} any more: it shrank while the instances ran`);
    }
    locals[elementVariable] = elements[loopCounter];
  }
  await runtime.setVariables(instance, locals, true);
  runtime.enterAt(instance, body.inner);
}

async function collectionOf(runtime: InstanceRuntime, token: ExecutionEntity, body: MultiInstanceBodyActivity): Promise<readonly unknown[]> {
  const collection = body.loop.collection as NonNullable<MultiInstanceBodyActivity['loop']['collection']>;
  const what = `camunda:collection of multi-instance activity '${body.inner.id}'`;
  return asList(await runtime.evaluate(collection, token, what), what, collection);
}

async function cardinalityOf(runtime: InstanceRuntime, token: ExecutionEntity, body: MultiInstanceBodyActivity): Promise<number> {
  const cardinality = body.loop.loopCardinality as NonNullable<MultiInstanceBodyActivity['loop']['loopCardinality']>;
  const what = `loopCardinality of multi-instance activity '${body.inner.id}'`;
  const count = asInteger(await runtime.evaluate(cardinality, token, what), what, cardinality);
  if (count < 0) throw new ProcessEvaluationError(`${what} (${cardinality.source}) evaluated to ${count}, not a number of instances`);
  return count;
}

/** Evaluated on the instance that ended, so its own variables are visible beside the body's counts. */
async function completionConditionHolds(runtime: InstanceRuntime, instance: ExecutionEntity, body: MultiInstanceBodyActivity): Promise<boolean> {
  const condition = body.loop.completionCondition;
  if (!condition) return false;
  const what = `completionCondition of multi-instance activity '${body.inner.id}'`;
  return asBoolean(await runtime.evaluate(condition, instance, what), what, condition);
}

async function loopCounts(runtime: InstanceRuntime, bodyToken: ExecutionEntity): Promise<LoopCounts> {
  const locals = await runtime.variables.visible([bodyToken]);
  const count = (name: keyof LoopCounts) => {
    const value = locals.get(name)?.value;
    if (typeof value !== 'number') throw new Error(`multi-instance body ${bodyToken.id} has no ${name}`);
    return value;
  };
  return { nrOfInstances: count('nrOfInstances'), nrOfActiveInstances: count('nrOfActiveInstances'), nrOfCompletedInstances: count('nrOfCompletedInstances') };
}
