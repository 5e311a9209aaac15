import { BadUserRequestError, ConflictError, EngineError } from '../../errors/index.js';
import type { ExecutionEntity, ReturnTarget } from '../../persistence/index.js';
import { multiInstanceBodyId, type Activity, type ScopeModel, type SequenceFlow } from '../model/index.js';
import type { InstanceRuntime } from './runtime.js';

/**
 * Moving a token inside a running instance — Camunda's process instance modification in
 * miniature, as 退回 (send back), 撤回 (withdraw) and 不通过 (reject to a path) need it: the token
 * leaves where it stands and arrives at another activity of its scope or an enclosing one.
 *
 * Parallel branches are the hard part. Entering the target starts the process again from there,
 * so every other token of the target's scope that the target leads to is redone by the moved
 * token and is cancelled (a branch of a fork that lies after the target, a token already waiting
 * at a join on a flow the target leads to). A parallel join the target reaches on some of its
 * flows only waits for the others: from a token still in the other branch, or — when no token
 * will come any more because the join fired before (the token stood after the join) — from a
 * waiting (`JOINING`) token put there for each such flow, so the branches already done are not
 * redone. A move that would leave a join waiting for a flow no token can take is refused.
 */
export interface MovePlan {
  /** the execution of the scope the target lies in: the instance, or an embedded sub-process */
  readonly scope: ExecutionEntity;
  /** the child of `scope` that holds the token: the token itself, its sub-process, its multi-instance body */
  readonly branch: ExecutionEntity;
  /** what the branch enters: the target, or the body of a multi-instance target (all its instances anew) */
  readonly enters: Activity;
  /** other tokens of the scope the moved token would duplicate */
  readonly cancelled: readonly ExecutionEntity[];
  /** flows of parallel joins counted as arrived: their branches were done before and are not redone */
  readonly arrived: readonly JoinArrival[];
  /** whether the target leads back to where the token stands: it is an earlier step of the token's path */
  readonly leadsBack: boolean;
}

export interface JoinArrival {
  readonly gateway: Activity;
  readonly flow: SequenceFlow;
}

/** How the token leaves its activity: cancelled (退回, 撤回, 不通过), or completed (a resubmission going straight back). */
export type Departure = 'cancel' | 'complete';

/** Works out a move without changing anything: refused moves throw, naming why. */
export function planMove(runtime: InstanceRuntime, token: ExecutionEntity, targetActivityId: string): MovePlan {
  const { activities } = runtime.process.model;
  const target = activities.get(targetActivityId);
  if (!target || target.kind === 'boundaryEvent' || target.kind === 'multiInstanceBody' || target.kind === 'startEvent') {
    throw new BadUserRequestError(`'${targetActivityId}' is no activity of process '${runtime.process.definition.key}' a case can be moved to`);
  }
  const enters = target.multiInstance ? (activities.get(multiInstanceBodyId(target.id)) as Activity) : target;
  const { scope, branch } = scopeHolding(runtime, token, enters);
  const graph = new ScopeGraph(runtime, enters.scope);
  const siblings = runtime.childrenOf(scope).filter((e) => e !== branch);
  const from = graph.node(branch.activityId as string);
  const walk = graph.walk(enters);
  const survivors = () => siblings.filter((s) => !walk.redoes(s));
  // a join the target reaches on some flows: a flow no surviving token will take and the moved
  // token did not come along counts as arrived (its branch was done), and the walk goes on past it
  for (let changed = true; changed; ) {
    changed = false;
    for (const join of graph.joins.filter((j) => !walk.visited.has(j.id) && j.incoming.some((f) => walk.reached(f)))) {
      const missing = join.incoming.filter((f) => !walk.reached(f) && !survivors().some((s) => graph.covers(s, join, f)));
      if (missing.length === 0 || missing.some((f) => graph.feeds(from, join, f))) continue;
      walk.arrive(join, missing);
      changed = true;
    }
  }
  refuseStrandedJoins(graph, walk, survivors(), from, target);
  return { scope, branch, enters, cancelled: siblings.filter((s) => walk.redoes(s)), arrived: walk.arrivals, leadsBack: walk.visited.has(from.id) };
}

/** Carries out a planned move: cancels what it redoes, counts the arrived branches, and enters the target. */
export async function moveToken(runtime: InstanceRuntime, plan: MovePlan, reason: string, departure: Departure = 'cancel'): Promise<void> {
  for (const token of plan.cancelled) await runtime.cancelTree(token, reason);
  if (departure === 'complete') {
    // only a task's own token completes its way elsewhere: a sub-process or multi-instance body is cancelled
    if (!plan.branch.activityId || plan.branch.isScope) throw new Error(`execution ${plan.branch.id} cannot complete its way to another activity`);
    await runtime.endActivity(plan.branch, runtime.activityOf(plan.branch));
  } else {
    await runtime.cancelActivity(plan.branch, reason);
  }
  for (const { gateway, flow } of plan.arrived) {
    const waiting = runtime.newToken(plan.scope);
    waiting.activityId = gateway.id;
    waiting.incomingFlowId = flow.id;
    waiting.state = 'JOINING';
  }
  await runtime.startAt(plan.branch, plan.enters);
}

/** The execution of the target's scope among the token's ancestors, and the child of it that holds the token. */
function scopeHolding(runtime: InstanceRuntime, token: ExecutionEntity, target: Activity): { scope: ExecutionEntity; branch: ExecutionEntity } {
  const chain = runtime.chain(token);
  for (let i = 1; i < chain.length; i += 1) {
    const scope = chain[i] as ExecutionEntity;
    if (scopeModelOf(runtime, scope) === target.scope) return { scope, branch: chain[i - 1] as ExecutionEntity };
  }
  const where = target.scope.parent ? `sub-process '${target.scope.id}'` : 'the process';
  throw new BadUserRequestError(
    `'${target.id}' lies in ${where}, which the token at '${token.activityId}' is not inside: a case moves only to an activity of the token's own ` +
      'scope or an enclosing one, not into a sub-process or another multi-instance activity it is not in',
  );
}

function scopeModelOf(runtime: InstanceRuntime, execution: ExecutionEntity): ScopeModel | null {
  if (execution === runtime.root) return runtime.process.model.root;
  const activity = execution.activityId ? runtime.process.model.activities.get(execution.activityId) : undefined;
  return activity?.kind === 'subProcess' ? activity.subScope : null;
}

/** A join left waiting for ever (a forward move out of a parallel branch, a move into another branch) is refused. */
function refuseStrandedJoins(graph: ScopeGraph, walk: Walk, survivors: readonly ExecutionEntity[], from: Activity, target: Activity): void {
  for (const join of graph.joins) {
    const comes = (f: SequenceFlow) => walk.reached(f) || survivors.some((s) => graph.covers(s, join, f));
    const missing = join.incoming.filter((f) => !comes(f));
    if (missing.length === 0 || missing.length === join.incoming.length) continue;
    throw new ConflictError(
      `Moving the case from '${from.id}' to '${target.id}' would leave parallel gateway '${join.id}' waiting for ever for ` +
        `${missing.map((f) => `'${f.id}'`).join(', ')}, which no token would take: the move would strand the other parallel branches`,
    );
  }
}

/** The activities of one scope as a graph; a multi-instance activity stands as its body, which holds its flows. */
class ScopeGraph {
  readonly joins: readonly Activity[];

  constructor(
    private readonly runtime: InstanceRuntime,
    scope: ScopeModel,
  ) {
    this.joins = scope.activities.filter(isParallelJoin);
  }

  node(activityId: string): Activity {
    const { activities } = this.runtime.process.model;
    const activity = activities.get(activityId);
    if (!activity) throw new Error(`unknown activity '${activityId}'`);
    return activity.multiInstance ? (activities.get(multiInstanceBodyId(activity.id)) as Activity) : activity;
  }

  /** Where a token can go from `activity` next: its flows' targets and the boundary events that may interrupt it. */
  next(activity: Activity): { flow: SequenceFlow | null; to: Activity }[] {
    return [...activity.outgoing.map((flow) => ({ flow, to: this.node(flow.targetId) })), ...activity.boundaryEvents.map((to) => ({ flow: null, to }))];
  }

  walk(start: Activity): Walk {
    return new Walk(this, start);
  }

  /** Whether a surviving token of the scope will still arrive at `join` on `flow`. */
  covers(token: ExecutionEntity, join: Activity, flow: SequenceFlow): boolean {
    if (token.state === 'JOINING') return token.activityId === join.id && token.incomingFlowId === flow.id;
    return this.leadsTo(this.node(token.activityId as string), join, flow, true);
  }

  /**
   * Whether the moved token was on its way to `join` along `flow` (in that branch, not after the
   * join): its branch is then not done, and counting the flow as arrived would skip it. The search
   * stops at forks, which a token after the join would pass on a loop back to the branches.
   */
  feeds(from: Activity, join: Activity, flow: SequenceFlow): boolean {
    return this.leadsTo(from, join, flow, false);
  }

  private leadsTo(from: Activity, join: Activity, flow: SequenceFlow, throughForks: boolean): boolean {
    const seen = new Set<string>();
    const pending = [from];
    for (let at = pending.pop(); at; at = pending.pop()) {
      if (seen.has(at.id)) continue;
      seen.add(at.id);
      if (at.outgoing.includes(flow)) return true;
      if (!throughForks && at !== from && isFork(at)) continue;
      for (const { to } of this.next(at)) if (to !== join) pending.push(to);
    }
    return false;
  }
}

/**
 * Where a token entering `start` goes from there: every activity it can reach, passing a parallel
 * join only once every flow into it is taken (or counted as arrived) — a token alone waits there.
 */
class Walk {
  readonly visited = new Set<string>();
  readonly arrivals: JoinArrival[] = [];
  private readonly flows = new Set<string>();

  constructor(
    private readonly graph: ScopeGraph,
    start: Activity,
  ) {
    this.visit(start);
  }

  reached(flow: SequenceFlow): boolean {
    return this.flows.has(flow.id);
  }

  /** The flows of `join` count as arrived; the walk goes past it once nothing else is awaited. */
  arrive(join: Activity, flows: readonly SequenceFlow[]): void {
    for (const flow of flows) {
      this.arrivals.push({ gateway: join, flow });
      this.flows.add(flow.id);
    }
    if (join.incoming.every((f) => this.reached(f))) this.visit(join);
  }

  /** Whether the moved token, going on from the target, would redo what this token does. */
  redoes(token: ExecutionEntity): boolean {
    if (token.state === 'JOINING') return token.incomingFlowId !== null && this.flows.has(token.incomingFlowId);
    return this.visited.has(this.graph.node(token.activityId as string).id);
  }

  private visit(start: Activity): void {
    const pending = [start];
    for (let at = pending.pop(); at; at = pending.pop()) {
      if (this.visited.has(at.id)) continue;
      this.visited.add(at.id);
      for (const { flow, to } of this.graph.next(at)) {
        if (flow) this.flows.add(flow.id);
        if (isParallelJoin(to) && !to.incoming.every((f) => this.reached(f))) continue;
        pending.push(to);
      }
    }
  }
}

function isParallelJoin(activity: Activity): boolean {
  return activity.kind === 'parallelGateway' && activity.incoming.length > 1;
}

function isFork(activity: Activity): boolean {
  return (activity.kind === 'parallelGateway' || activity.kind === 'inclusiveGateway') && activity.outgoing.length > 1;
}

/**
 * 退回 with direct resubmission: the completed task's token goes straight back to the activity
 * that sent it back, whose task goes to the returner. When that move is no longer possible (the
 * case changed meanwhile), the process is followed as usual.
 */
export async function resubmitDirectly(runtime: InstanceRuntime, token: ExecutionEntity, returnTo: ReturnTarget): Promise<void> {
  let plan: MovePlan;
  try {
    plan = planMove(runtime, token, returnTo.activityId);
  } catch (error) {
    if (error instanceof EngineError) return runtime.signal(token);
    throw error;
  }
  runtime.taskOverride = { activityId: returnTo.activityId, assignee: returnTo.userId, returnTo: null };
  await moveToken(runtime, plan, 'resubmitted', 'complete');
}
