/**
 * Benchmark peer: the `bpmn-engine` npm package (v25, built on bpmn-elements), used the way it has to be
 * used when process state must survive a restart. bpmn-engine keeps state in memory only, so:
 *
 *   - after every wait state, `engine.getState()` is serialized and written to a StateStore;
 *   - before every next step, the state is loaded, a fresh `Engine` is created, `recover(state)` and
 *     `resume()` are called, and only then the waiting activity is signalled.
 *
 * How waits and signals work in bpmn-engine (bpmn-elements 17):
 *   - userTask is a SignalTask: its behaviour publishes `activity.wait` and stays executing until an api
 *     `signal` message reaches it, either directly (`api.signal()`) or delegated by id
 *     (`execution.signal({ id })`, used here because after a resume we only know the activity id).
 *     On resume, the recovered execute message is redelivered, so the task publishes `activity.wait` again.
 *   - serviceTask runs `behaviour.Service` and completes when that service calls back. Nothing in
 *     bpmn-elements understands `camunda:type="external"`, so without help it fails with "service not defined".
 *     `camundaTaskExtension` below installs `ExternalTaskService`: it announces `activity.wait` (like a user task,
 *     so listeners and `activityStatus` treat it as a wait state) and calls back only when signalled. On resume the
 *     service task is re-executed, which creates a new ExternalTaskService that waits again.
 *   - `${valid}`: bpmn-elements resolves `${x}` against `{ environment, fields, content, properties }`, so a
 *     bare `valid` is undefined (the default flow to `voided` would be taken). Camunda resolves bare identifiers as
 *     process variables; `camundaExpressions` adds exactly that fallback, so the XML keeps Camunda's `${valid}`.
 *   - completing with variables: a signal's payload becomes the task's output, but nothing copies it into process
 *     variables. `camundaTaskExtension` does that on `activity.end` for `output.variables`, which is what
 *     "complete task with variables" means in Camunda.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Engine, type BpmnEngineOptions, type BpmnEngineExecutionState } from 'bpmn-engine';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

export interface StateStore {
  /** persist the serialized state of one instance (insert or overwrite) */
  save(instanceId: string, state: string): Promise<void>;
  load(instanceId: string): Promise<string>;
}

export interface PeerResult {
  instances: number;
  waitStateTransitions: number;
  seconds: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Types. bpmn-engine ships typings; the element-level types it uses come from bpmn-elements, which is not a direct
// dependency of ours, so they are derived from the engine's option types instead of imported.

type ExtensionFn = NonNullable<BpmnEngineOptions['extensions']>[string];
/** What bpmn-elements passes to an extension: the activity (typed as ElementBase). */
type ElementBase = Parameters<ExtensionFn>[0];
type IExtension = ReturnType<ExtensionFn>;
type IExpressions = NonNullable<BpmnEngineOptions['expressions']>;
type LoggerFactory = NonNullable<BpmnEngineOptions['Logger']>;
/** The parsed + serialized BPMN (moddle-context-serializer output) an Engine can start from. */
type SourceContext = NonNullable<BpmnEngineOptions['sourceContext']>;

/** The smqp message handed to broker subscribers, narrowed to what is read here (smqp types content as `any`). */
interface BrokerMessage {
  content?: unknown;
  /** smqp MessageProperties: correlationId, type ('signal', ...), delegate (set on delegated api messages) */
  properties: Record<string, unknown>;
}

/** Callback signature bpmn-elements' ServiceTask passes to `Service.execute` (err, output). */
type ServiceCallback = (err: Error | null, output?: unknown) => void;

/** The part of an element api (from listener events) used here. */
interface ElementApiLike {
  id: string;
}

type Payload = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Process shape: the wait states in order, and what each is completed with.

const PROCESS_ID = 'case_handling';
const END_EVENT = 'closed';
const VOID_END_EVENT = 'voided';

interface WaitState {
  activityId: string;
  /** signal payload; `variables` are copied into process variables (Camunda "complete with variables") */
  payload: Payload;
}

const WAIT_STATES: readonly WaitState[] = [
  { activityId: 'register', payload: { variables: { valid: true } } },
  { activityId: 'dispatch', payload: {} },
  { activityId: 'handle', payload: {} },
  { activityId: 'verify', payload: {} },
];

// ---------------------------------------------------------------------------------------------------------------
// Camunda bits bpmn-engine does not provide out of the box.

function isRecord(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contentOf(message: BrokerMessage): Payload {
  return isRecord(message.content) ? message.content : {};
}

/**
 * Service for `camunda:type="external"`: a wait state until signalled, like Camunda's external task
 * (the engine only records the task; a worker completes it later).
 */
class ExternalTaskService {
  readonly type = 'camunda:external-task';
  private readonly consumerTag: string;

  constructor(private readonly activity: ElementBase) {
    this.consumerTag = `_external-task-${activity.id}`;
  }

  /** Called by ServiceTaskBehaviour, on first execution and again after every recover/resume. */
  execute(executeMessage: BrokerMessage, callback: ServiceCallback): void {
    const { broker, id } = this.activity;
    const content = contentOf(executeMessage);
    const executionId = content['executionId'];

    broker.cancel(this.consumerTag);
    broker.subscribeTmp(
      'api',
      '#.signal.*',
      (_routingKey: string, message: BrokerMessage) => {
        if (!isSignalFor(message, id, executionId)) return;
        if (message.properties['delegate']) this.acknowledgeDelegated(content, message);
        this.stop();
        callback(null, contentOf(message)['message']);
      },
      { noAck: true, consumerTag: this.consumerTag },
    );

    // Same event a user task publishes: it makes the activity count as waiting and reaches engine listeners.
    broker.publish('event', 'activity.wait', { ...content, state: 'wait', topic: this.activity.behaviour['topic'] });
  }

  /** ServiceTaskBehaviour calls stop (or discard, falling back to stop) when the activity is stopped/discarded. */
  stop(): void {
    this.activity.broker.cancel(this.consumerTag);
  }

  /** Tells the process a delegated signal was consumed, so it stops offering it to other children (as SignalTask). */
  private acknowledgeDelegated(content: Payload, message: BrokerMessage): void {
    const { correlationId, type } = message.properties;
    this.activity.broker.publish(
      'event',
      'activity.consumed',
      { ...content, message: contentOf(message)['message'] },
      { correlationId, type },
    );
  }
}

/** A signal is ours if delegated with our activity id, or sent directly to our execution. */
function isSignalFor(message: BrokerMessage, activityId: string, executionId: unknown): boolean {
  if (message.properties['type'] !== 'signal') return false;
  const content = contentOf(message);
  if (!message.properties['delegate']) return content['executionId'] === executionId;
  const signal = content['message'];
  return isRecord(signal) && signal['id'] === activityId;
}

/**
 * Extension (called by bpmn-elements for every activity when it is constructed, also after recover):
 * - external service tasks get ExternalTaskService as their Service;
 * - user tasks and external tasks copy `output.variables` of their completion into the process variables.
 */
function camundaTaskExtension(activity: ElementBase): IExtension {
  const behaviour = activity.behaviour;
  const isExternal = activity.type === 'bpmn:ServiceTask' && behaviour['type'] === 'external';
  if (isExternal) behaviour['Service'] = ExternalTaskService;
  if (!isExternal && activity.type !== 'bpmn:UserTask') {
    // bpmn-elements skips falsy extensions; its typings do not allow undefined, hence the cast.
    return undefined as unknown as IExtension;
  }
  return completionVariables(activity);
}

function completionVariables(activity: ElementBase): IExtension {
  const consumerTag = `_completion-variables-${activity.id}`;
  const onEnd = (_routingKey: string, message: BrokerMessage): void => {
    const output = contentOf(message)['output'];
    if (isRecord(output) && isRecord(output['variables'])) {
      // activity.environment is the process environment; its variables are part of the process state.
      activity.environment.assignVariables(output['variables']);
    }
  };
  return {
    // activate runs on enter and on resume; cancel first so a resumed activity never subscribes twice.
    activate() {
      activity.broker.cancel(consumerTag);
      activity.broker.subscribeTmp('event', 'activity.end', onEnd, { noAck: true, consumerTag });
    },
    deactivate() {
      activity.broker.cancel(consumerTag);
    },
  };
}

/** bpmn-elements' built-in expression handler, taken from a throwaway engine (bpmn-elements is not our dependency). */
const builtInExpressions: IExpressions = new Engine().environment.expressions;

/**
 * Camunda/JUEL-style lookup: a bare identifier in `${...}` falls back to a process variable. bpmn-elements passes
 * `{ environment, fields, content, properties }` as the context; those names still win over variables of the same name.
 */
const camundaExpressions: IExpressions = {
  resolveExpression(expression: string, context?: unknown, fnContext?: unknown): unknown {
    const environment = isRecord(context) ? context['environment'] : undefined;
    const variables = isRecord(environment) ? environment['variables'] : undefined;
    const scope = isRecord(variables) && isRecord(context) ? { ...variables, ...context } : context;
    return builtInExpressions.resolveExpression(expression, scope, fnContext);
  },
};

/**
 * bpmn-engine's default Logger wraps the `debug` package and creates several debug instances per element and engine
 * (each checks isatty); even with DEBUG unset that was ~7% of CPU in this benchmark. Logging is off for the peer.
 */
const silentLogger: LoggerFactory = () => ({ debug() {}, warn() {}, error() {} });

/** Options shared by every Engine the peer creates (fresh and recovered). */
function engineOptions(name: string): BpmnEngineOptions {
  return {
    name,
    // camunda moddle makes camunda:type / camunda:topic / candidateGroups land on the element behaviour.
    moddleOptions: { camunda: camundaModdle },
    extensions: { camundaTask: camundaTaskExtension },
    expressions: camundaExpressions,
    Logger: silentLogger,
  };
}

/**
 * Parses and serializes the BPMN once, like a deployment. Passing `source: xml` to every new Engine would re-parse
 * the XML with a fresh bpmn-moddle (re-registering the camunda types) per instance, ~4.6 ms each; instances start
 * from this shared compiled context instead (documented `sourceContext` option). Recovered engines do not use it:
 * getState() embeds the serialized source in every saved state and recover() deserializes it from there.
 */
async function compileDefinition(xml: string): Promise<SourceContext> {
  const [definition] = await new Engine({ ...engineOptions('compile'), source: xml }).getDefinitions();
  if (!definition) throw new Error('bpmn-engine peer: the XML contains no definitions');
  return definition.context.definitionContext;
}

// ---------------------------------------------------------------------------------------------------------------
// Observing one engine run until it settles (next wait state, or end).

type Settled = { kind: 'wait'; activityId: string } | { kind: 'end' };

/**
 * Collects wait/end/error from one engine as a queue of outcomes. bpmn-engine's broker is synchronous, so outcomes
 * usually exist before anyone awaits them; the queue makes that ordering irrelevant.
 */
class RunObserver {
  readonly listener = new EventEmitter();
  readonly endedActivities = new Set<string>();
  private readonly settled: Settled[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(engine: Engine) {
    this.listener.on('activity.wait', (api: ElementApiLike) => this.push({ kind: 'wait', activityId: api.id }));
    this.listener.on('activity.end', (api: ElementApiLike) => this.endedActivities.add(api.id));
    engine.once('end', () => this.push({ kind: 'end' }));
    engine.once('error', (err: unknown) => {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.wake?.();
    });
  }

  async next(): Promise<Settled> {
    for (;;) {
      if (this.failure) throw this.failure;
      const outcome = this.settled.shift();
      if (outcome) return outcome;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Throws unless the run settled in the given wait state (or ended, for `'end'`). */
  async expect(target: string | 'end', instanceId: string): Promise<void> {
    const outcome = await this.next();
    const got = outcome.kind === 'end' ? 'end' : outcome.activityId;
    if (got !== target) throw new Error(`bpmn-engine peer ${instanceId}: expected ${target}, got ${got}`);
  }

  private push(outcome: Settled): void {
    this.settled.push(outcome);
    this.wake?.();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Steps. Each one is a wait-state transition followed by persisting the engine state.

async function saveState(store: StateStore, instanceId: string, state: BpmnEngineExecutionState): Promise<void> {
  await store.save(instanceId, JSON.stringify(state));
}

/** Step 1: start the instance; it runs to the first wait state. */
async function startInstance(source: SourceContext, instanceId: string, store: StateStore): Promise<void> {
  const engine = new Engine({ ...engineOptions(instanceId), sourceContext: source });
  const observer = new RunObserver(engine);
  await engine.execute({ listener: observer.listener });
  await observer.expect(WAIT_STATES[0]!.activityId, instanceId);
  await saveState(store, instanceId, await engine.getState());
}

/**
 * Steps 2..5: load state, recover + resume a fresh engine, check it waits where expected, signal that activity,
 * wait until it settles in the next wait state (or ends), persist. Returns the ended activities of this run.
 */
async function completeWaitState(
  current: WaitState,
  next: string | 'end',
  instanceId: string,
  store: StateStore,
): Promise<ReadonlySet<string>> {
  // Parsed JSON is untyped; it is what getState() produced, which recover() accepts as-is.
  const state = JSON.parse(await store.load(instanceId)) as BpmnEngineExecutionState;
  const engine = new Engine(engineOptions(instanceId)).recover(state);
  const observer = new RunObserver(engine);
  const execution = await engine.resume({ listener: observer.listener });
  await observer.expect(current.activityId, instanceId);

  execution.signal({ ...current.payload, id: current.activityId });
  await observer.expect(next, instanceId);
  await saveState(store, instanceId, await engine.getState());
  return observer.endedActivities;
}

/** Runs one instance through all 5 steps and checks it completed through the `closed` end event. */
async function runInstance(source: SourceContext, instanceId: string, store: StateStore): Promise<number> {
  await startInstance(source, instanceId, store);
  let transitions = 1;
  let ended: ReadonlySet<string> = new Set();
  for (const [index, current] of WAIT_STATES.entries()) {
    const next = WAIT_STATES[index + 1]?.activityId ?? 'end';
    ended = await completeWaitState(current, next, instanceId, store);
    transitions++;
  }
  if (!ended.has(END_EVENT) || ended.has(VOID_END_EVENT)) {
    throw new Error(`bpmn-engine peer ${instanceId}: process ${PROCESS_ID} did not complete through ${END_EVENT}`);
  }
  return transitions;
}

/** Runs `n` instances of the case-handling process one after another, persisting state after every wait state. */
export async function runBpmnEnginePeer(options: {
  xml: string;
  n: number;
  store: StateStore;
  onProgress?: (done: number) => void;
}): Promise<PeerResult> {
  const { xml, n, store, onProgress } = options;
  const source = await compileDefinition(xml); // deployment, not timed
  const startedAt = performance.now();
  let waitStateTransitions = 0;
  for (let i = 0; i < n; i++) {
    waitStateTransitions += await runInstance(source, `bpmn-engine-${i + 1}`, store);
    onProgress?.(i + 1);
  }
  return { instances: n, waitStateTransitions, seconds: (performance.now() - startedAt) / 1000 };
}
