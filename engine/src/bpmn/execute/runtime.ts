import type { CommandContext } from '../../command/index.js';
import { BadUserRequestError, NotFoundError, ProcessEvaluationError } from '../../errors/index.js';
import { variablesOf, type Expression } from '../../expression/index.js';
import { applyVariableLookups } from '../../lookups/index.js';
import {
  EVENT_SUBSCRIPTION,
  EXECUTION,
  EXTERNAL_TASK,
  INCIDENT,
  JOB,
  TASK,
  VARIABLE,
  type EventSubscriptionEntity,
  type ExecutionEntity,
  type ExternalTaskEntity,
  type IncidentEntity,
  type JobEntity,
  type ProcessInstanceState,
  type ReturnTarget,
  type TaskEntity,
  type Query,
  type Table,
  type VariableEntity,
} from '../../persistence/index.js';
import type { DeployedProcess } from '../deployment-cache.js';
import { multiInstanceBodyId, type Activity, type ParameterValue, type ScopeModel, type SequenceFlow } from '../model/index.js';
import { scheduleAsyncContinuation } from './async-continuation.js';
import { executeActivity } from './behaviors.js';
import { cancelCalledInstance, completeCalledInstance, type TerminationState } from './call-activity.js';
import { asBoolean, evaluationFailed } from './evaluation.js';
import { attachBoundaryEvents, stopWaiting } from './events.js';
import { HistoryWriter } from './history.js';
import { instanceEnded, multiInstanceBodyOf } from './multi-instance.js';
import { fireActivityListeners, fireCancelledActivityListeners, fireProcessListeners, fireTakeListeners } from './listeners.js';
import { VariableStore } from './variables.js';

type Step = () => Promise<void>;

const NO_VARIABLES = variablesOf({});

/**
 * One process instance inside one command: its execution tree (loaded whole, it is small), its
 * variables (loaded on first use) and an agenda of small steps run in a loop rather than by
 * recursion, so a long chain of pass-through elements never grows the stack.
 */
export class InstanceRuntime {
  readonly history: HistoryWriter;
  readonly variables: VariableStore;
  private readonly executions: Map<string, ExecutionEntity>;
  private readonly agenda: Step[] = [];
  private loadedWork: Promise<OpenWork> | null = null;
  private readonly created: OpenWork = { tasks: [], externalTasks: [], incidents: [], jobs: [], subscriptions: [] };
  /** tokens arriving at an event that has already happened (after an event-based gateway, or resumed by a job) */
  private readonly triggeredArrivals = new Set<string>();
  private running = false;
  /** set while the instance is being terminated: how the instances its call activities called end */
  private terminatingAs: TerminationState | null = null;
  /** the task whose completion this command is carrying out: the tasks it creates remember it (撤回) */
  completingTaskId: string | null = null;
  /** set by a command that moves a token back (退回, 撤回): who the task re-created at that activity goes to */
  taskOverride: TaskOverride | null = null;

  private constructor(
    readonly context: CommandContext,
    readonly process: DeployedProcess,
    readonly root: ExecutionEntity,
    executions: ExecutionEntity[],
    isNew: boolean,
  ) {
    this.executions = new Map(executions.map((e) => [e.id, e]));
    this.history = new HistoryWriter(context, process);
    this.variables = new VariableStore(context, root, isNew);
  }

  /**
   * The instance as this command sees it; loaded once per command. A command that will write
   * variables asks for them with `withVariables`: they come in the same round trip as the
   * executions instead of one more when first used.
   */
  static async load(context: CommandContext, processInstanceId: string, withVariables = false): Promise<InstanceRuntime> {
    const cacheKey = `instance:${processInstanceId}`;
    const cached = context.attachments.get(cacheKey) as InstanceRuntime | undefined;
    if (cached) return cached;
    const where = 'process_instance_id = $1';
    const [executions, variables] = withVariables
      ? await context.session.selectMany<[ExecutionEntity, VariableEntity]>([
          { table: EXECUTION, where, bind: [processInstanceId] },
          { table: VARIABLE, where, bind: [processInstanceId] },
        ])
      : [await context.session.select(EXECUTION, where, [processInstanceId]), null];
    return InstanceRuntime.assemble(context, processInstanceId, executions, variables);
  }

  /**
   * Reads a work item (a user or external task row, by id) together with the executions of its
   * instance, and the instance's variables when the command will write some, in one round trip
   * (MariaDB). The item lands in the command's identity map and the instance in its cache, so
   * the command's own `findById` and `load` that follow read nothing more.
   */
  static async prefetchFor<W extends TaskEntity | ExternalTaskEntity>(
    context: CommandContext,
    itemTable: Table<W>,
    itemId: string,
    withVariables: boolean,
  ): Promise<void> {
    const where = `process_instance_id = (SELECT process_instance_id FROM ${itemTable.name} WHERE id = $1)`;
    const item: Query<W> = { table: itemTable, where: 'id = $1', bind: [itemId] };
    const executions: Query<ExecutionEntity> = { table: EXECUTION, where, bind: [itemId] };
    const [[found], loaded, variables] = withVariables
      ? await context.session.selectMany<[W, ExecutionEntity, VariableEntity]>([item, executions, { table: VARIABLE, where, bind: [itemId] }])
      : [...(await context.session.selectMany<[W, ExecutionEntity]>([item, executions])), null];
    // anything unexpected (no such item, no instance) is left to the command's own load to report
    const instanceId = found?.processInstanceId;
    if (!instanceId || !loaded.some((e) => e.id === instanceId) || context.attachments.has(`instance:${instanceId}`)) return;
    await InstanceRuntime.assemble(context, instanceId, loaded, variables);
  }

  private static async assemble(
    context: CommandContext,
    processInstanceId: string,
    executions: ExecutionEntity[],
    variables: VariableEntity[] | null,
  ): Promise<InstanceRuntime> {
    const root = executions.find((e) => e.id === processInstanceId);
    if (!root) throw new NotFoundError(`Process instance '${processInstanceId}' does not exist or has ended`);
    const process = await context.environment.deployments.get(context.session, root.processDefinitionId);
    const runtime = new InstanceRuntime(context, process, root, executions, false);
    if (variables) runtime.variables.adopt(variables);
    context.attachments.set(`instance:${processInstanceId}`, runtime);
    return runtime;
  }

  /**
   * A new instance's root. It belongs to its definition's tenant; an instance of a shared
   * definition (no tenant) to `tenantId` when given (a start for nobody: a citizen's report), else
   * to the tenant of whoever started it.
   */
  static create(context: CommandContext, process: DeployedProcess, businessKey: string | null, superExecutionId: string | null = null, tenantId?: string | null): InstanceRuntime {
    const id = context.newId();
    const root = context.session.insert(EXECUTION, {
      id,
      rev: 1,
      processInstanceId: id,
      parentId: null,
      processDefinitionId: process.definition.id,
      activityId: null,
      activityInstanceId: id,
      incomingFlowId: null,
      businessKey,
      isScope: true,
      state: 'ACTIVE',
      tenantId: process.definition.tenantId ?? tenantId ?? context.actor?.tenantId ?? null,
      startTime: context.now(),
      superExecutionId,
      parked: false,
    });
    const runtime = new InstanceRuntime(context, process, root, [root], true);
    context.attachments.set(`instance:${id}`, runtime);
    return runtime;
  }

  get ended(): boolean {
    return !this.executions.has(this.root.id);
  }

  execution(executionId: string): ExecutionEntity {
    const execution = this.executions.get(executionId);
    if (!execution) throw new NotFoundError(`Execution '${executionId}' is not part of process instance '${this.root.id}'`);
    return execution;
  }

  activityOf(token: ExecutionEntity): Activity {
    const activity = token.activityId ? this.process.model.activities.get(token.activityId) : undefined;
    if (!activity) throw new Error(`execution ${token.id} stands on unknown activity '${token.activityId}'`);
    return activity;
  }

  /** The execution and its ancestors up to the process instance: the variable lookup path. */
  chain(execution: ExecutionEntity): ExecutionEntity[] {
    const chain = [execution];
    for (let current = execution; current.parentId; ) {
      current = this.execution(current.parentId);
      chain.push(current);
    }
    return chain;
  }

  /** The execution, unless it has ended (in this command or before). */
  findExecution(executionId: string): ExecutionEntity | undefined {
    return this.executions.get(executionId);
  }

  parentOf(execution: ExecutionEntity): ExecutionEntity | null {
    return execution.parentId ? this.execution(execution.parentId) : null;
  }

  childrenOf(scope: ExecutionEntity): ExecutionEntity[] {
    return [...this.executions.values()].filter((e) => e.parentId === scope.id);
  }

  scopeModelOf(scope: ExecutionEntity): ScopeModel {
    if (scope.id === this.root.id) return this.process.model.root;
    const activity = this.activityOf(scope);
    if (activity.kind !== 'subProcess') throw new Error(`execution ${scope.id} is not a scope`);
    return activity.subScope;
  }

  /* ---- commands' entry points ---- */

  /**
   * Starts the new instance at `startEvent` — by default the process's none (or only) start event;
   * a timer, message or signal start passes its own, which has already happened.
   */
  async start(variables: Record<string, unknown>, startEvent: Activity | null = this.process.model.root.startActivity): Promise<void> {
    if (!startEvent) {
      throw new BadUserRequestError(`Process '${this.process.definition.key}' has no none start event: it starts only by its timer, message or signal start events`);
    }
    this.history.processInstanceStarted(this.root, startEvent.id, await this.superProcessInstanceId());
    for (const [name, value] of Object.entries(variables)) await this.variables.set([this.root], name, value);
    await fireProcessListeners(this, 'start');
    const token = this.newToken(this.root);
    if (startEvent.kind === 'startEvent' && startEvent.trigger) this.arriveTriggered(token);
    this.schedule(token, () => this.enter(token, startEvent, null));
    await this.run();
  }

  private async superProcessInstanceId(): Promise<string | null> {
    if (!this.root.superExecutionId) return null;
    const superExecution = await this.context.session.findById(EXECUTION, this.root.superExecutionId);
    return superExecution?.processInstanceId ?? null;
  }

  /**
   * A waiting token moves on: its user task, external task or receive task is done, or the event it
   * waited for happened. `flows` (default: the activity's choice) are the flows it takes.
   */
  async signal(token: ExecutionEntity, flows?: readonly SequenceFlow[]): Promise<void> {
    this.schedule(token, () => this.leave(token, flows));
    await this.run();
  }

  /** The token, just released from its activity (a boundary event fired), goes on from `event`. */
  async continueFrom(token: ExecutionEntity, event: Activity, variables: Record<string, unknown>): Promise<void> {
    await this.setVariables(token, variables);
    this.arriveTriggered(token);
    this.schedule(token, () => this.enter(token, event, null));
    await this.run();
  }

  /** An asynchronous continuation's job runs: the token resumes before or after its activity. */
  async resumeAsync(token: ExecutionEntity, phase: 'before' | 'after', flowIds: readonly string[] | null): Promise<void> {
    const activity = this.activityOf(token);
    if (phase === 'before') {
      this.schedule(token, () => this.execute(token, activity));
    } else {
      const flows = flowIds ? activity.outgoing.filter((f) => flowIds.includes(f.id)) : undefined;
      this.schedule(token, async () => this.takeFlows(token, flows ?? (await this.selectOutgoing(token, activity))));
    }
    await this.run();
  }

  /** The event the token arrives at has already happened: it passes through without waiting. */
  arriveTriggered(token: ExecutionEntity): void {
    this.triggeredArrivals.add(token.id);
  }

  consumeTriggeredArrival(token: ExecutionEntity): boolean {
    return this.triggeredArrivals.delete(token.id);
  }

  /**
   * Ends the whole instance: from outside (delete), or from inside its caller (its call activity
   * was cancelled). Every token is cancelled, history says why.
   */
  async terminate(reason: string, state: TerminationState = 'EXTERNALLY_TERMINATED'): Promise<void> {
    this.terminatingAs = state;
    await this.cancelTree(this.root, reason);
    await this.endInstance(state, null, reason);
  }

  async setVariables(execution: ExecutionEntity, variables: Record<string, unknown>, local = false): Promise<void> {
    for (const [name, value] of Object.entries(variables)) {
      await this.variables.set(this.chain(execution), name, value, { local, activityInstanceId: execution.activityInstanceId });
    }
  }

  /* ---- evaluation ---- */

  async evaluate(expression: Expression, token: ExecutionEntity, what: string): Promise<unknown> {
    if (expression.language === 'literal') return expression.evaluate(NO_VARIABLES);
    await this.variables.ensureLoaded();
    try {
      return expression.evaluate(this.variables.resolver(this.chain(token), { execution: this.executionView(token) }));
    } catch (error) {
      return evaluationFailed(what, error);
    }
  }

  private executionView(token: ExecutionEntity): Record<string, unknown> {
    return {
      id: token.id,
      processInstanceId: this.root.id,
      processBusinessKey: this.root.businessKey,
      businessKey: this.root.businessKey,
      processDefinitionId: this.root.processDefinitionId,
      currentActivityId: token.activityId,
      activityId: token.activityId,
      tenantId: this.root.tenantId,
    };
  }

  private async evaluateParameter(value: ParameterValue, token: ExecutionEntity, what: string): Promise<unknown> {
    switch (value.kind) {
      case 'null':
        return null;
      case 'expression':
        return this.evaluate(value.expression, token, what);
      case 'list': {
        const items = [];
        for (const item of value.items) items.push(await this.evaluateParameter(item, token, what));
        return items;
      }
      case 'map': {
        const entries: Record<string, unknown> = {};
        for (const [key, item] of value.entries) entries[key] = await this.evaluateParameter(item, token, what);
        return entries;
      }
    }
  }

  /* ---- the agenda ---- */

  /** Steps of a token that was cancelled meanwhile (terminate end event) are skipped. */
  schedule(token: ExecutionEntity, step: Step): void {
    this.agenda.push(async () => {
      if (this.executions.get(token.id) === token) await step();
    });
  }

  /** Runs the agenda until every token waits. Re-entered (a signal caught in this instance), it only queues. */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        for (let step = this.agenda.shift(); step; step = this.agenda.shift()) await step();
        if (!this.fireInclusiveJoins()) return;
      }
    } finally {
      this.running = false;
    }
  }

  /* ---- operations ---- */

  newToken(parent: ExecutionEntity): ExecutionEntity {
    const token = this.context.session.insert(EXECUTION, {
      id: this.context.newId(),
      rev: 1,
      processInstanceId: this.root.id,
      parentId: parent.id,
      processDefinitionId: this.root.processDefinitionId,
      activityId: null,
      activityInstanceId: null,
      incomingFlowId: null,
      businessKey: null,
      isScope: false,
      state: 'ACTIVE',
      tenantId: this.root.tenantId,
      startTime: this.context.now(),
      superExecutionId: null,
      parked: false,
    });
    this.executions.set(token.id, token);
    return token;
  }

  /** A sub-process begins: one token at its start event. */
  enterScope(scope: ExecutionEntity): void {
    this.enterAt(this.newToken(scope), this.scopeModelOf(scope).startActivity as Activity);
  }

  /** The token arrives at `activity` without a flow (a scope's start event, an instance of a multi-instance activity). */
  enterAt(token: ExecutionEntity, activity: Activity): void {
    this.schedule(token, () => this.enter(token, activity, null));
  }

  /** The token, moved by a command (modification.ts), arrives at `activity` as if a flow led there, and the instance runs on. */
  async startAt(token: ExecutionEntity, activity: Activity): Promise<void> {
    this.enterAt(token, activity);
    await this.run();
  }

  /**
   * The token arrives at an activity. With `camunda:asyncBefore` it stops here in a job (the
   * arrival commits first); otherwise the activity starts at once.
   */
  private async enter(token: ExecutionEntity, activity: Activity, flow: SequenceFlow | null): Promise<void> {
    token.activityId = activity.id;
    token.incomingFlowId = flow?.id ?? null;
    token.state = 'ACTIVE';
    if (activity.async.before) {
      token.activityInstanceId = null;
      await scheduleAsyncContinuation(this, token, activity, 'before', null);
      return;
    }
    await this.execute(token, activity);
  }

  /** The activity starts: its history, input mappings, dictionary lookups (`yiwang:lookup:*`), start listeners, boundary events, then its behaviour. */
  private async execute(token: ExecutionEntity, activity: Activity): Promise<void> {
    token.activityInstanceId = this.context.newId();
    token.startTime = this.context.now();
    this.history.activityStarted(token, activity, this.execution(token.parentId as string).activityInstanceId);
    for (const input of activity.inputs) {
      const value = await this.evaluateParameter(input.value, token, `Input mapping '${input.name}' of '${activity.id}'`);
      await this.variables.set([token], input.name, value, { local: true, activityInstanceId: token.activityInstanceId });
    }
    await applyVariableLookups(this, token, activity);
    await fireActivityListeners(this, token, activity, 'start');
    await attachBoundaryEvents(this, token, activity);
    await executeActivity(this, token, activity);
  }

  /**
   * The token finishes its activity and follows the outgoing flows the activity selects; with
   * `camunda:asyncAfter` it stops in a job between the two.
   */
  async leave(token: ExecutionEntity, flows?: readonly SequenceFlow[]): Promise<void> {
    const activity = this.activityOf(token);
    const taken = flows ?? (await this.selectOutgoing(token, activity));
    await this.endActivity(token, activity);
    if (activity.async.after) {
      await scheduleAsyncContinuation(this, token, activity, 'after', flows ? flows.map((f) => f.id) : null);
      return;
    }
    this.takeFlows(token, taken);
  }

  private takeFlows(token: ExecutionEntity, taken: readonly SequenceFlow[]): void {
    // an instance of a multi-instance activity has no flows of its own: it returns to its body
    const body = multiInstanceBodyOf(this, token);
    if (body) {
      this.schedule(token, () => instanceEnded(this, token, body));
      return;
    }
    const [first, ...others] = taken;
    if (!first) {
      this.removeToken(token);
      return;
    }
    const parent = this.execution(token.parentId as string);
    this.schedule(token, () => this.take(token, first));
    for (const flow of others) {
      const sibling = this.newToken(parent);
      this.schedule(sibling, () => this.take(sibling, flow));
    }
  }

  private async take(token: ExecutionEntity, flow: SequenceFlow): Promise<void> {
    const target = this.process.model.activities.get(flow.targetId);
    if (!target) throw new Error(`sequence flow ${flow.id} leads to unknown activity ${flow.targetId}`);
    await fireTakeListeners(this, token, flow);
    // a flow to a multi-instance activity enters its body, which starts the instances
    await this.enter(token, target.multiInstance ? (this.process.model.activities.get(multiInstanceBodyId(target.id)) as Activity) : target, flow);
  }

  /**
   * Outgoing flows of an activity that is not a gateway: every unconditional flow and every flow
   * whose condition holds; the default flow when none does.
   */
  async selectOutgoing(token: ExecutionEntity, activity: Activity): Promise<SequenceFlow[]> {
    const taken: SequenceFlow[] = [];
    for (const flow of activity.outgoing) {
      if (flow.id === activity.defaultFlowId) continue;
      if (!flow.condition || (await this.conditionHolds(token, flow))) taken.push(flow);
    }
    const fallback = activity.outgoing.find((f) => f.id === activity.defaultFlowId);
    if (taken.length === 0 && fallback) taken.push(fallback);
    if (taken.length === 0 && activity.outgoing.length > 0) throw noFlowSelected(activity);
    return taken;
  }

  async conditionHolds(token: ExecutionEntity, flow: SequenceFlow): Promise<boolean> {
    const condition = flow.condition as Expression;
    const what = `Condition of sequence flow '${flow.id}'`;
    return asBoolean(await this.evaluate(condition, token, what), what, condition);
  }

  async endActivity(token: ExecutionEntity, activity: Activity): Promise<void> {
    if (activity.outputs.length > 0) {
      const parentChain = this.chain(this.execution(token.parentId as string));
      for (const output of activity.outputs) {
        const value = await this.evaluateParameter(output.value, token, `Output mapping '${output.name}' of '${activity.id}'`);
        await this.variables.set(parentChain, output.name, value, { activityInstanceId: token.activityInstanceId });
      }
    }
    await fireActivityListeners(this, token, activity, 'end');
    // variables local to the activity end with it: its input mappings, a sub-process's own, and the
    // local results a completion set on an activity with output mappings (any I/O mapping makes an
    // activity a variable scope in Camunda, so the mapped-out result does not linger as a local)
    if (activity.inputs.length > 0 || activity.outputs.length > 0 || token.isScope) this.variables.deleteAllOf(token.id);
    if (activity.boundaryEvents.length > 0) await stopWaiting(this, token);
    token.isScope = false;
    this.history.activityEnded(token);
  }

  /** The token is gone; when it was its scope's last, the scope completes. */
  removeToken(token: ExecutionEntity): void {
    this.variables.deleteAllOf(token.id);
    this.context.session.delete(EXECUTION, token);
    this.executions.delete(token.id);
    const scope = this.execution(token.parentId as string);
    if (this.childrenOf(scope).length === 0) this.schedule(scope, () => this.completeScope(scope, token.activityId));
  }

  private async completeScope(scope: ExecutionEntity, lastActivityId: string | null): Promise<void> {
    if (scope.id !== this.root.id) return this.leave(scope);
    // a called instance hands its results to the call activity waiting for it, which moves on
    await completeCalledInstance(this, () => this.endInstance('COMPLETED', lastActivityId, null));
  }

  /** Ends every token of a scope except `survivor` (terminate end event), cancelling their work. */
  async cancelScopeExcept(scope: ExecutionEntity, survivor: ExecutionEntity, reason: string): Promise<void> {
    for (const child of this.childrenOf(scope)) if (child !== survivor) await this.cancelTree(child, reason);
  }

  /** Cancels the execution and everything inside it, and removes it. */
  async cancelTree(execution: ExecutionEntity, reason: string): Promise<void> {
    if (execution.id === this.root.id) {
      for (const child of this.childrenOf(execution)) await this.cancelTree(child, reason);
      return;
    }
    await this.cancelActivity(execution, reason);
    this.context.session.delete(EXECUTION, execution);
    this.executions.delete(execution.id);
  }

  /**
   * Cancels what the execution is doing — the tokens inside it, its tasks, timers, subscriptions and
   * incidents — and ends its activity as cancelled: end listeners (as Camunda fires them on
   * cancellation, innermost first), then history. The execution itself stays, to go on
   * elsewhere (an interrupting boundary event) or to be removed.
   */
  async cancelActivity(execution: ExecutionEntity, reason: string): Promise<void> {
    for (const child of this.childrenOf(execution)) await this.cancelTree(child, reason);
    await cancelCalledInstance(this, execution, reason, this.terminatingAs ?? 'INTERNALLY_TERMINATED');
    const { session } = this.context;
    const work = await this.openWork();
    const mine = <T extends { executionId: string | null }>(rows: T[]) => rows.filter((row) => row.executionId === execution.id);
    for (const task of mine(work.tasks)) {
      session.delete(TASK, task);
      session.addStatement('DELETE FROM task_candidate WHERE task_id = $1', [task.id]);
      this.history.taskEnded(task, reason);
    }
    for (const task of mine(work.externalTasks)) session.delete(EXTERNAL_TASK, task);
    for (const incident of mine(work.incidents)) session.delete(INCIDENT, incident);
    for (const job of mine(work.jobs)) session.delete(JOB, job);
    for (const subscription of mine(work.subscriptions)) session.delete(EVENT_SUBSCRIPTION, subscription);
    await fireCancelledActivityListeners(this, execution, mine(work.jobs));
    this.history.activityEnded(execution, true);
    this.variables.deleteAllOf(execution.id);
    execution.isScope = false;
  }

  /**
   * Cancels one token as Camunda's process instance modification cancels an activity instance:
   * every sub-process it leaves empty is cancelled with it, and an instance left without tokens
   * ends as externally terminated.
   */
  async cancelToken(token: ExecutionEntity, reason: string): Promise<void> {
    let cancelled = token;
    for (let scope = this.execution(token.parentId as string); scope !== this.root && this.childrenOf(scope).length === 1; ) {
      cancelled = scope;
      scope = this.execution(scope.parentId as string);
    }
    await this.cancelTree(cancelled, reason);
    if (this.childrenOf(this.root).length === 0) await this.endInstance('EXTERNALLY_TERMINATED', null, reason);
  }

  private async endInstance(state: ProcessInstanceState, endActivityId: string | null, reason: string | null): Promise<void> {
    await fireProcessListeners(this, 'end');
    this.variables.deleteAllOf(this.root.id);
    this.context.session.delete(EXECUTION, this.root);
    this.executions.delete(this.root.id);
    this.history.processInstanceEnded(this.root, state, endActivityId, reason);
  }

  /* ---- joins ---- */

  /** Parallel join: fires once a token has arrived on every incoming flow. */
  joinParallel(token: ExecutionEntity, activity: Activity): ExecutionEntity | null {
    token.state = 'JOINING';
    const waiting = this.joiningAt(this.execution(token.parentId as string), activity.id);
    const selected: ExecutionEntity[] = [];
    for (const flow of activity.incoming) {
      const arrived = waiting.find((t) => t.incomingFlowId === flow.id && !selected.includes(t));
      if (!arrived) return null;
      selected.push(arrived);
    }
    return this.merge(selected, selected.includes(token) ? token : (selected[0] as ExecutionEntity));
  }

  /**
   * Inclusive joins fire when no token of their scope can still reach them. Checked when the
   * agenda is empty, that is when every token stands still, so "can still arrive" is exact.
   */
  private fireInclusiveJoins(): boolean {
    let fired = false;
    for (const scope of [...this.executions.values()].filter((e) => e.isScope)) {
      const children = this.childrenOf(scope);
      const gateways = new Set(children.filter((t) => t.state === 'JOINING').map((t) => this.activityOf(t)));
      for (const gateway of gateways) {
        if (gateway.kind !== 'inclusiveGateway') continue;
        const waiting = children.filter((t) => t.state === 'JOINING' && t.activityId === gateway.id);
        const blocked = children.some((t) => !waiting.includes(t) && gateway.reachableFrom.has(t.activityId ?? ''));
        if (blocked) continue;
        const survivor = this.merge(waiting, waiting[0] as ExecutionEntity);
        this.schedule(survivor, () => this.forkInclusive(survivor, gateway));
        fired = true;
      }
    }
    return fired;
  }

  async forkInclusive(token: ExecutionEntity, gateway: Activity): Promise<void> {
    await this.leave(token, await this.selectOutgoing(token, gateway));
  }

  private joiningAt(scope: ExecutionEntity, activityId: string): ExecutionEntity[] {
    return this.childrenOf(scope).filter((t) => t.state === 'JOINING' && t.activityId === activityId);
  }

  /** The arrived tokens become one: the others' gateway visits end in history and they are removed. */
  private merge(arrived: ExecutionEntity[], survivor: ExecutionEntity): ExecutionEntity {
    for (const token of arrived) {
      if (token === survivor) continue;
      this.history.activityEnded(token);
      this.variables.deleteAllOf(token.id);
      this.context.session.delete(EXECUTION, token);
      this.executions.delete(token.id);
    }
    survivor.state = 'ACTIVE';
    return survivor;
  }

  /* ---- wait states' work items ---- */

  recordCreated(work: Partial<OpenWork>): void {
    for (const kind of OPEN_WORK_KINDS) (this.created[kind] as unknown[]).push(...(work[kind] ?? []));
  }

  /**
   * The instance's open work items: loaded once, on the first cancellation or boundary, plus those
   * this command created, minus those it deleted.
   */
  async openWork(): Promise<OpenWork> {
    this.loadedWork ??= (async () => {
      const { session } = this.context;
      const where = 'process_instance_id = $1';
      const [tasks, externalTasks, incidents, jobs, subscriptions] = await Promise.all([
        session.select(TASK, where, [this.root.id]),
        session.select(EXTERNAL_TASK, where, [this.root.id]),
        session.select(INCIDENT, where, [this.root.id]),
        session.select(JOB, where, [this.root.id]),
        session.select(EVENT_SUBSCRIPTION, where, [this.root.id]),
      ]);
      return { tasks, externalTasks, incidents, jobs, subscriptions };
    })();
    const loaded = await this.loadedWork;
    const { session } = this.context;
    const merged = {} as Record<keyof OpenWork, { id: string }[]>;
    for (const kind of OPEN_WORK_KINDS) {
      const table = OPEN_WORK_TABLES[kind];
      merged[kind] = [...loaded[kind], ...this.created[kind]].filter((row) => !session.isDeleted(table, row.id));
    }
    return merged as unknown as OpenWork;
  }
}

/** The task a moved token's arrival creates at `activityId` goes to `assignee` (not the activity's own assignment), remembering `returnTo`. */
export interface TaskOverride {
  readonly activityId: string;
  readonly assignee: string | null;
  readonly returnTo: ReturnTarget | null;
}

export interface OpenWork {
  tasks: TaskEntity[];
  externalTasks: ExternalTaskEntity[];
  incidents: IncidentEntity[];
  jobs: JobEntity[];
  subscriptions: EventSubscriptionEntity[];
}

const OPEN_WORK_TABLES = { tasks: TASK, externalTasks: EXTERNAL_TASK, incidents: INCIDENT, jobs: JOB, subscriptions: EVENT_SUBSCRIPTION } as const;
const OPEN_WORK_KINDS = Object.keys(OPEN_WORK_TABLES) as (keyof OpenWork)[];

export function noFlowSelected(activity: Activity): ProcessEvaluationError {
  return new ProcessEvaluationError(
    `ENGINE-02004 No outgoing sequence flow for the element with id '${activity.id}' could be selected for continuing the process`,
  );
}
