import type { ExecutionEntity } from '../../persistence/index.js';
import type { Activity } from '../model/index.js';
import { noFlowSelected, type InstanceRuntime } from './runtime.js';
import { createExternalTask, createUserTask, raiseUncaughtError } from './work-items.js';

/** What a token does when it enters an activity, by the activity's kind. */
export async function executeActivity(runtime: InstanceRuntime, token: ExecutionEntity, activity: Activity): Promise<void> {
  switch (activity.kind) {
    case 'startEvent':
    case 'passThrough':
      return runtime.leave(token);
    case 'userTask':
      return createUserTask(runtime, token, activity);
    case 'externalTask':
      return createExternalTask(runtime, token, activity);
    case 'receiveTask':
      return; // waits until triggered
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
    case 'endEvent':
      if (activity.endKind === 'error') return raiseUncaughtError(runtime, token, activity);
      if (activity.endKind === 'terminate') {
        await runtime.cancelScopeExcept(runtime.execution(token.parentId as string), token, 'terminated');
      }
      return runtime.leave(token, []);
  }
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
