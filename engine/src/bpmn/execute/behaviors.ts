import { ProcessEvaluationError } from '../../errors/index.js';
import type { Expression } from '../../expression/index.js';
import type { ExecutionEntity } from '../../persistence/index.js';
import { startCalledInstance } from './call-activity.js';
import { asOptionalString } from './evaluation.js';
import type { Activity } from '../model/index.js';
import { throwBpmnError, waitFor } from './events.js';
import { startMultiInstance } from './multi-instance.js';
import { noFlowSelected, type InstanceRuntime } from './runtime.js';
import { broadcastSignal } from './signals.js';
import { createExternalTask, createUserTask } from './work-items.js';
import { copyAtNode } from '../../tasks/copies.js';

/** What a token does when it enters an activity, by the activity's kind. */
export async function executeActivity(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity): Promise<void> {
  switch (activity.kind) {
    case 'startEvent':
    case 'passThrough':
    case 'boundaryEvent':
      return runtime.leave(token);
    case 'catchEvent':
    case 'receiveTask':
      if (runtime.consumeTriggeredArrival(token)) return runtime.leave(token);
      if (activity.trigger) await waitFor(runtime, token, activity, activity.trigger);
      return; // waits for its event, or a receive task without a message for `trigger`
    case 'eventBasedGateway':
      for (const flow of activity.outgoing) {
        const event = runtime.process.model.activities.get(flow.targetId);
        if (event?.kind === 'catchEvent' || event?.kind === 'receiveTask') {
          if (event.trigger) await waitFor(runtime, token, event, event.trigger);
        }
      }
      return;
    case 'signalThrow':
      await broadcastSignal(runtime.context, await signalName(runtime, token, activity.signalName, activity.id), {});
      return runtime.leave(token);
    case 'userTask':
      return createUserTask(runtime, token, activity);
    case 'externalTask':
      return createExternalTask(runtime, token, activity);
    case 'copy':
      await copyAtNode(runtime, token, activity);
      return runtime.leave(token);
    case 'exclusiveGateway':
      return runtime.leave(token, [await chooseExclusiveFlow(runtime, token, activity)]);
    case 'parallelGateway': {
      const merged = activity.incoming.length > 1 ? runtime.joinParallel(token, activity) : token;
      if (merged) await runtime.leave(merged, activity.outgoing);
      return;
    }
    case 'inclusiveGateway':
      if (activity.incoming.length > 1) {
        token.state = 'JOINING'; // fires from the agenda loop once nothing else can arrive
        return;
      }
      return runtime.forkInclusive(token, activity);
    case 'subProcess':
      token.isScope = true;
      runtime.enterScope(token);
      return;
    case 'callActivity':
      return startCalledInstance(runtime, token, activity);
    case 'multiInstanceBody':
      return startMultiInstance(runtime, token, activity);
    case 'endEvent':
      if (activity.endKind === 'error') {
        const error = { code: activity.errorCode, message: activity.errorMessage, source: `end event '${activity.id}'` };
        return throwBpmnError(runtime, token, runtime.parentOf(token) as ExecutionEntity, error);
      }
      if (activity.endKind === 'signal') {
        await broadcastSignal(runtime.context, await signalName(runtime, token, activity.signalName as Expression, activity.id), {});
      }
      if (activity.endKind === 'terminate') {
        await runtime.cancelScopeExcept(runtime.execution(token.parentId as string), token, 'terminated');
      }
      return runtime.leave(token, []);
  }
}

async function signalName(runtime: InstanceRuntime, token: ExecutionEntity, name: Expression, activityId: string): Promise<string> {
  const what = `The signal name of '${activityId}'`;
  const value = asOptionalString(await runtime.evaluate(name, token, what));
  if (!value) throw new ProcessEvaluationError(`${what} (${name.source}) evaluated to nothing`);
  return value;
}

/** The first outgoing flow, in document order, whose condition holds; else the default flow. */
async function chooseExclusiveFlow(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity) {
  for (const flow of activity.outgoing) {
    if (flow.id === activity.defaultFlowId) continue;
    if (!flow.condition || (await runtime.conditionHolds(token, flow))) return flow;
  }
  const fallback = activity.outgoing.find((f) => f.id === activity.defaultFlowId);
  if (!fallback) throw noFlowSelected(activity);
  return fallback;
}
