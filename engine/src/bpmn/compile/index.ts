import type { ModdleElement } from 'bpmn-moddle';
import type { ValidationProblem } from '../../errors/index.js';
import { compileExpression, ExpressionError, type Expression } from '../../expression/index.js';
import { fieldPermissionsFrom, type FieldPermissions } from '../../forms/index.js';
import type { FormRef } from '../../persistence/index.js';
import type {
  Activity,
  BoundaryEventActivity,
  ParameterMapping,
  ParameterValue,
  ProcessModel,
  ScopeModel,
  SequenceFlow,
  StartEventActivity,
  UserTaskActivity,
} from '../model/index.js';
import { multiInstanceBodyId } from '../model/index.js';
import { compileAssignmentOptions } from './assignment.js';
import { compileCallActivity } from './call-activity.js';
import { compileCopyNode } from './copy-node.js';
import { attr, child, children, documentation, extensionProperties, extensions, flag, lowerFirst } from './elements.js';
import { compileTrigger } from './events.js';
import { compileAsync, compileExecutionListeners, compileTakeListeners, compileTaskListeners } from './listeners.js';
import { compileMultiInstanceBodies } from './multi-instance.js';
import { compileTaskOperations } from './task-operations.js';
import { compileVariableLookups } from './variable-lookups.js';
import { computeReachability } from './reachability.js';
import type { CompileSupport } from './support.js';

export interface CompileResult {
  readonly models: Map<string, ProcessModel>;
  readonly errors: ValidationProblem[];
}

/** Element types that exist in BPMN but whose execution arrives with later engine releases. */
const NOT_YET_SUPPORTED: Record<string, string> = {
  'bpmn:ComplexGateway': 'complex gateways',
  'bpmn:ScriptTask': 'script tasks (scripts are never evaluated by this engine)',
  'bpmn:Transaction': 'transaction sub-processes',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes',
};

const CATEGORY_CODE = /^[A-Za-z0-9_.-]+$/;

const IGNORED = new Set(['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

/** Compiles every executable process of a parsed resource; problems name the element they concern. */
export function compileDefinitions(resource: string, definitions: ModdleElement): CompileResult {
  const result: CompileResult = { models: new Map(), errors: [] };
  for (const process of children(definitions, 'rootElements')) {
    if (process.$type !== 'bpmn:Process' || !flag(process, 'isExecutable')) continue;
    const compiler = new ProcessCompiler(resource, process);
    const model = compiler.compile();
    result.errors.push(...compiler.errors);
    if (model) result.models.set(model.key, model);
  }
  return result;
}

type MutableActivity = { -readonly [P in keyof Activity]: Activity[P] } & Record<string, unknown>;
type MutableScope = { -readonly [P in keyof ScopeModel]: ScopeModel[P] };

class ProcessCompiler implements CompileSupport {
  readonly errors: ValidationProblem[] = [];
  private readonly activities = new Map<string, Activity>();
  private readonly eventStarts: StartEventActivity[] = [];

  constructor(
    private readonly resource: string,
    private readonly process: ModdleElement,
  ) {}

  compile(): ProcessModel | null {
    const key = this.process.id ?? '';
    if (!key) this.problem(null, 'An executable process needs an id: it becomes the process definition key');
    const category = this.compileCategory(key);
    const root = this.compileScope(this.process, null);
    if (!root || this.errors.length > 0) return null;
    return {
      key,
      name: attr(this.process, 'name'),
      versionTag: attr(this.process, 'camunda:versionTag'),
      category,
      listeners: compileExecutionListeners(this, this.process),
      root,
      activities: this.activities,
      eventStarts: this.eventStarts,
    };
  }

  /** `yiwang:category`: a code of the `process-category` dictionary, stored as the definition's category. */
  private compileCategory(key: string): string | null {
    const category = extensionProperties(this.process)['yiwang:category']?.trim() ?? '';
    if (category === '') return null;
    if (category.length > 64 || !CATEGORY_CODE.test(category)) {
      this.problem(key || null, `Process '${key}': yiwang:category '${category}' must be a dictionary code of at most 64 letters, digits, '_', '.' or '-'`);
      return null;
    }
    return category;
  }

  problem(elementId: string | null | undefined, message: string): void {
    this.errors.push({ resource: this.resource, elementId: elementId ?? null, message });
  }

  private compileScope(container: ModdleElement, parent: ScopeModel | null): ScopeModel | null {
    const scope = { id: container.id ?? '', parent, activities: [] } as unknown as MutableScope;
    const elements = children(container, 'flowElements');
    const local = new Map<string, MutableActivity>();
    for (const element of elements) {
      const activity = this.compileActivity(element, scope);
      if (!activity) continue;
      local.set(activity.id, activity);
      this.activities.set(activity.id, activity as Activity);
    }
    const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow').map((e) => this.compileFlow(e, local));
    for (const flow of flows) {
      if (!flow) continue;
      (local.get(flow.sourceId)?.outgoing as SequenceFlow[]).push(flow);
      (local.get(flow.targetId)?.incoming as SequenceFlow[]).push(flow);
    }
    scope.activities = [...local.values()] as Activity[];
    for (const activity of scope.activities) this.checkActivity(activity);
    const bodies = compileMultiInstanceBodies(this, elements, scope.activities);
    for (const body of bodies) this.activities.set(body.id, body);
    scope.activities = [...scope.activities, ...bodies];
    this.attachBoundaryEvents(scope.activities);
    this.checkRejectTargets(scope.activities);
    if (!this.chooseStartActivity(scope, container, parent === null)) return null;
    for (const [id, reachable] of computeReachability(scope as ScopeModel)) {
      (local.get(id) as Record<string, unknown>).reachableFrom = reachable;
    }
    return scope as ScopeModel;
  }

  /**
   * A sub-process starts at its one none start event. A process starts at its none start event or
   * its only start event; its timer, message and signal start events also start it on their own.
   */
  private chooseStartActivity(scope: MutableScope, container: ModdleElement, isProcess: boolean): boolean {
    const starts = scope.activities.filter((a): a is StartEventActivity => a.kind === 'startEvent');
    const noneStarts = starts.filter((start) => start.trigger === null);
    if (!isProcess) {
      if (starts.length === 1 && noneStarts.length === 1) {
        scope.startActivity = noneStarts[0] as Activity;
        return true;
      }
      this.problem(container.id, `Sub-process '${container.id}' must have exactly one start event, a none start event; found ${starts.length}`);
      return false;
    }
    if (starts.length === 0 || noneStarts.length > 1) {
      this.problem(container.id, `Process '${container.id}' must have a start event and at most one none start event; found ${starts.length} start events, ${noneStarts.length} of them none`);
      return false;
    }
    scope.startActivity = (noneStarts[0] ?? (starts.length === 1 ? starts[0] : null)) ?? null;
    this.eventStarts.push(...starts.filter((start) => start.trigger !== null));
    return true;
  }

  /** 不通过 moves a token within its scope: the target must be an activity of the same scope, not the task itself. */
  private checkRejectTargets(activities: readonly Activity[]): void {
    for (const task of activities.filter((a): a is UserTaskActivity => a.kind === 'userTask')) {
      const path = task.operations.rejectPath;
      if (path.kind !== 'activity') continue;
      const target = activities.find((a) => a.id === path.activityId);
      if (!target || target.id === task.id || target.kind === 'boundaryEvent' || target.kind === 'multiInstanceBody') {
        this.problem(task.id, `User task '${task.id}': yiwang:reject:target '${path.activityId}' must name another activity of the same scope`);
      }
    }
  }

  /** Each boundary event joins the list of the activity it is attached to, which must be in the same scope. */
  private attachBoundaryEvents(activities: readonly Activity[]): void {
    for (const boundary of activities.filter((a): a is BoundaryEventActivity => a.kind === 'boundaryEvent')) {
      const host = activities.find((a) => a.id === boundary.attachedToId);
      if (!host || !ATTACHABLE.has(host.kind)) {
        this.problem(boundary.id, `Boundary event '${boundary.id}' must be attached to a task, sub-process or call activity of the same scope, not '${boundary.attachedToId}'`);
        continue;
      }
      // on a multi-instance activity the boundary belongs to its body: it ends all instances at once
      const attachedTo = this.activities.get(multiInstanceBodyId(host.id)) ?? host;
      (attachedTo.boundaryEvents as BoundaryEventActivity[]).push(boundary);
      if (boundary.incoming.length > 0) this.problem(boundary.id, `Boundary event '${boundary.id}' must not have incoming sequence flows`);
    }
  }

  private compileActivity(element: ModdleElement, scope: ScopeModel): MutableActivity | null {
    const type = element.$type;
    if (IGNORED.has(type)) return null;
    if (NOT_YET_SUPPORTED[type]) {
      this.problem(element.id, `${type} '${element.id}' is not supported: ${NOT_YET_SUPPORTED[type]} are not executable yet`);
      return null;
    }
    this.checkUnsupportedAttributes(element);
    const base = {
      id: element.id ?? '',
      name: attr(element, 'name'),
      activityType: lowerFirst(type),
      scope,
      incoming: [],
      outgoing: [],
      defaultFlowId: (child(element, 'default')?.id as string | undefined) ?? null,
      ...this.compileInputOutput(element),
      boundaryEvents: [],
      listeners: compileExecutionListeners(this, element),
      async: compileAsync(this, element),
      multiInstance: null,
      lookups: compileVariableLookups(this, element.id ?? '', extensionProperties(element)),
    };
    const specific = this.compileKind(element, base.id);
    return specific ? ({ ...base, ...specific } as unknown as MutableActivity) : null;
  }

  private compileKind(element: ModdleElement, id: string): Record<string, unknown> | null {
    const events = children(element, 'eventDefinitions');
    switch (element.$type) {
      case 'bpmn:StartEvent':
        return this.compileStartEvent(element);
      case 'bpmn:EndEvent':
        return this.compileEndEvent(element, events);
      case 'bpmn:IntermediateThrowEvent':
        return this.compileThrowEvent(element, events);
      case 'bpmn:IntermediateCatchEvent':
        return this.compileCatchEvent(element);
      case 'bpmn:BoundaryEvent':
        return this.compileBoundaryEvent(element);
      case 'bpmn:EventBasedGateway':
        return { kind: 'eventBasedGateway' };
      case 'bpmn:Task':
        return this.compileCopyNode(element) ?? { kind: 'passThrough' };
      case 'bpmn:ManualTask':
        return { kind: 'passThrough' };
      case 'bpmn:UserTask':
        return this.compileUserTask(element);
      case 'bpmn:SendTask':
        return this.compileCopyNode(element) ?? this.compileExternalTask(element);
      case 'bpmn:ServiceTask':
      case 'bpmn:BusinessRuleTask':
        return this.compileExternalTask(element);
      case 'bpmn:ReceiveTask':
        return this.compileReceiveTask(element);
      case 'bpmn:ExclusiveGateway':
        return { kind: 'exclusiveGateway' };
      case 'bpmn:ParallelGateway':
        return { kind: 'parallelGateway' };
      case 'bpmn:InclusiveGateway':
        return { kind: 'inclusiveGateway', reachableFrom: new Set<string>() };
      case 'bpmn:SubProcess':
        return this.compileSubProcess(element);
      case 'bpmn:CallActivity':
        return compileCallActivity(this, element);
      default:
        this.problem(id, `Element type ${element.$type} ('${id}') is not supported in an executable process`);
        return null;
    }
  }

  private unsupportedEvent(element: ModdleElement, definition: ModdleElement): null {
    this.problem(element.id, `${lowerFirst(definition.$type)} on ${lowerFirst(element.$type)} '${element.id}' is not supported`);
    return null;
  }

  /** Camunda's history names the event by its definition: `startTimerEvent`, `intermediateMessageCatch`, ... */
  private compileStartEvent(element: ModdleElement): Record<string, unknown> | null {
    const trigger = compileTrigger(this, element, 'start');
    if (trigger === null) return null;
    const form = { formKey: attr(element, 'camunda:formKey'), formRef: this.compileFormRef(element), fieldPermissions: this.compileFieldPermissions(element) };
    if (!trigger) return { kind: 'startEvent', trigger: null, ...form };
    const activityType = { timer: 'startTimerEvent', message: 'messageStartEvent', signal: 'signalStartEvent', error: 'errorStartEvent' }[trigger.type];
    return { kind: 'startEvent', trigger, activityType, ...form };
  }

  private compileCatchEvent(element: ModdleElement): Record<string, unknown> | null {
    const trigger = compileTrigger(this, element, 'catch');
    if (trigger === undefined) this.problem(element.id, `Intermediate catch event '${element.id}' needs a timer, message or signal event definition`);
    if (!trigger) return null;
    const activityType = { timer: 'intermediateTimer', message: 'intermediateMessageCatch', signal: 'intermediateSignalCatch', error: '' }[trigger.type];
    return { kind: 'catchEvent', trigger, activityType };
  }

  private compileBoundaryEvent(element: ModdleElement): Record<string, unknown> | null {
    const trigger = compileTrigger(this, element, 'boundary');
    if (trigger === undefined) this.problem(element.id, `Boundary event '${element.id}' needs a timer, message, signal or error event definition`);
    if (!trigger) return null;
    const cancelActivity = element.get('cancelActivity') !== false;
    if (trigger.type === 'error' && !cancelActivity) {
      this.problem(element.id, `Error boundary event '${element.id}' must be interrupting`);
    }
    const activityType = { timer: 'boundaryTimer', message: 'boundaryMessage', signal: 'boundarySignal', error: 'boundaryError' }[trigger.type];
    return { kind: 'boundaryEvent', trigger, cancelActivity, attachedToId: child(element, 'attachedToRef')?.id ?? '', activityType };
  }

  private compileReceiveTask(element: ModdleElement): Record<string, unknown> | null {
    const message = child(element, 'messageRef');
    if (!message) return { kind: 'receiveTask', trigger: null };
    const name = attr(message, 'name');
    const expression = name ? this.optionalExpression(element.id, name) : null;
    if (!name) this.problem(element.id, `Receive task '${element.id}' references a message without a name`);
    return expression ? { kind: 'receiveTask', trigger: { type: 'message', name: expression } } : null;
  }

  private compileThrowEvent(element: ModdleElement, events: ModdleElement[]): Record<string, unknown> | null {
    const [definition] = events;
    if (!definition) return { kind: 'passThrough', activityType: 'intermediateNoneThrowEvent' };
    const signalName = this.signalName(element, definition);
    if (signalName === undefined) return this.unsupportedEvent(element, definition);
    return signalName ? { kind: 'signalThrow', signalName, activityType: 'intermediateSignalThrow' } : null;
  }

  private compileEndEvent(element: ModdleElement, events: ModdleElement[]): Record<string, unknown> | null {
    const end = (endKind: string, activityType: string, extra: Record<string, unknown> = {}) =>
      ({ kind: 'endEvent', endKind, activityType, errorCode: null, errorMessage: null, signalName: null, ...extra });
    const [definition] = events;
    if (!definition) return end('none', 'noneEndEvent');
    if (definition.$type === 'bpmn:TerminateEventDefinition') return end('terminate', 'terminateEndEvent');
    if (definition.$type === 'bpmn:ErrorEventDefinition') {
      const error = child(definition, 'errorRef');
      return end('error', 'errorEndEvent', {
        errorCode: error ? attr(error, 'errorCode') : null,
        errorMessage: error ? (attr(error, 'camunda:errorMessage') ?? attr(error, 'name')) : null,
      });
    }
    const signalName = this.signalName(element, definition);
    if (signalName === undefined) return this.unsupportedEvent(element, definition);
    return signalName ? end('signal', 'signalEndEvent', { signalName }) : null;
  }

  /** The signal a throwing event broadcasts; undefined when the definition is not a signal. */
  private signalName(element: ModdleElement, definition: ModdleElement): Expression | null | undefined {
    if (definition.$type !== 'bpmn:SignalEventDefinition') return undefined;
    const trigger = compileTrigger(this, element, 'catch');
    return trigger?.type === 'signal' ? trigger.name : null;
  }

  private compileUserTask(element: ModdleElement): Record<string, unknown> {
    const id = element.id;
    const assignment = {
      assignee: this.optionalExpression(id, attr(element, 'camunda:assignee')),
      candidateUsers: this.expressionList(id, attr(element, 'camunda:candidateUsers')),
      candidateGroups: this.expressionList(id, attr(element, 'camunda:candidateGroups')),
    };
    return {
      kind: 'userTask',
      taskListeners: compileTaskListeners(this, element),
      taskName: this.optionalExpression(id, attr(element, 'name')),
      description: documentation(element),
      ...assignment,
      assignmentOptions: compileAssignmentOptions(this, id ?? '', assignment, extensionProperties(element)),
      dueDate: this.optionalExpression(id, attr(element, 'camunda:dueDate')),
      followUpDate: this.optionalExpression(id, attr(element, 'camunda:followUpDate')),
      priority: this.optionalExpression(id, attr(element, 'camunda:priority')),
      formKey: attr(element, 'camunda:formKey'),
      formRef: this.compileFormRef(element),
      fieldPermissions: this.compileFieldPermissions(element),
      operations: compileTaskOperations(this, id ?? '', extensionProperties(element)),
    };
  }

  /** `yiwang:field:<key>` properties; a value other than editable, readonly or hidden fails the deploy. */
  private compileFieldPermissions(element: ModdleElement): FieldPermissions {
    try {
      return fieldPermissionsFrom(extensionProperties(element));
    } catch (error) {
      this.problem(element.id, `'${element.id}': ${(error as Error).message}`);
      return new Map();
    }
  }

  private compileFormRef(element: ModdleElement): FormRef | null {
    const key = attr(element, 'camunda:formRef');
    if (!key) return null;
    const binding = (attr(element, 'camunda:formRefBinding') ?? 'latest') as FormRef['binding'];
    if (!['latest', 'deployment', 'version'].includes(binding)) {
      this.problem(element.id, `camunda:formRefBinding '${binding}' on '${element.id}' must be latest, deployment or version`);
    }
    const versionText = attr(element, 'camunda:formRefVersion');
    const version = versionText === null ? null : Number(versionText);
    if (binding === 'version' && (version === null || !Number.isInteger(version) || version < 1)) {
      this.problem(element.id, `camunda:formRefVersion on '${element.id}' must be a positive integer when the binding is 'version'`);
    }
    return { key, binding, version };
  }

  private compileCopyNode(element: ModdleElement): Record<string, unknown> | null {
    return compileCopyNode(this, element, (source) => this.expressionList(element.id, source));
  }

  private compileExternalTask(element: ModdleElement): Record<string, unknown> | null {
    const id = element.id;
    const topic = attr(element, 'camunda:topic');
    if (attr(element, 'camunda:type') !== 'external' || !topic) {
      this.problem(id, `${lowerFirst(element.$type)} '${id}' must be an external task: set camunda:type="external" and camunda:topic (Java delegates, expressions and connectors do not run in this engine)`);
      return null;
    }
    const topicExpression = this.optionalExpression(id, topic);
    if (!topicExpression) return null;
    return { kind: 'externalTask', topic: topicExpression, priority: this.optionalExpression(id, attr(element, 'camunda:taskPriority')), extensionProperties: extensionProperties(element) };
  }

  private compileSubProcess(element: ModdleElement): Record<string, unknown> | null {
    if (flag(element, 'triggeredByEvent')) {
      this.problem(element.id, `Event sub-process '${element.id}' is not supported yet`);
      return null;
    }
    const placeholder = {} as Record<string, unknown>;
    // the sub-scope needs its parent scope object; it is filled in once the sub-process activity exists
    placeholder.kind = 'subProcess';
    placeholder.pendingElement = element;
    return placeholder;
  }

  private checkUnsupportedAttributes(element: ModdleElement): void {
    const id = element.id;
    if (element.$type !== 'bpmn:UserTask' && extensions(element, 'camunda:TaskListener').length > 0) {
      this.problem(id, `camunda:TaskListener on '${id}' belongs on a user task`);
    }
  }

  private compileInputOutput(element: ModdleElement): { inputs: ParameterMapping[]; outputs: ParameterMapping[] } {
    const [io] = extensions(element, 'camunda:InputOutput');
    if (!io) return { inputs: [], outputs: [] };
    const compile = (parameters: ModdleElement[]) =>
      parameters.map((p) => ({ name: attr(p, 'name') ?? '', value: this.parameterValue(element.id, p) }));
    return { inputs: compile(children(io, 'inputParameters')), outputs: compile(children(io, 'outputParameters')) };
  }

  private parameterValue(elementId: string | undefined, parameter: ModdleElement): ParameterValue {
    const definition = child(parameter, 'definition');
    return definition ? this.definitionValue(elementId, attr(parameter, 'name'), definition) : this.textValue(elementId, parameter);
  }

  /**
   * A `camunda:list`, `camunda:map`, `camunda:script` or `camunda:value`. List items are such
   * definitions themselves (not parameters holding one), so lists nest lists and maps directly.
   */
  private definitionValue(elementId: string | undefined, name: string | null, definition: ModdleElement): ParameterValue {
    switch (definition.$type) {
      case 'camunda:List':
        return { kind: 'list', items: children(definition, 'items').map((item) => this.definitionValue(elementId, name, item)) };
      case 'camunda:Map':
        return {
          kind: 'map',
          entries: children(definition, 'entries').map((entry) => [attr(entry, 'key') ?? '', this.parameterValue(elementId, entry)] as const),
        };
      case 'camunda:Script':
        this.problem(elementId, `Script mapping '${name}' on '${elementId}' is not supported: scripts are never evaluated`);
        return { kind: 'null' };
      default:
        return this.textValue(elementId, definition);
    }
  }

  private textValue(elementId: string | undefined, element: ModdleElement): ParameterValue {
    const expression = this.optionalExpression(elementId, attr(element, 'value'));
    return expression ? { kind: 'expression', expression } : { kind: 'null' };
  }

  private compileFlow(element: ModdleElement, local: Map<string, MutableActivity>): SequenceFlow | null {
    const id = element.id ?? '';
    const source = child(element, 'sourceRef')?.id;
    const target = child(element, 'targetRef')?.id;
    if (!source || !target) {
      this.problem(id, `Sequence flow '${id}' is dangling: it has no ${source ? 'target' : 'source'}`);
      return null;
    }
    for (const end of [source, target]) {
      if (!local.has(end) && !this.isIgnoredOrReported(end)) {
        this.problem(id, `Sequence flow '${id}' connects '${end}', which is not in the same process or sub-process`);
        return null;
      }
    }
    if (!local.has(source) || !local.has(target)) return null;
    return {
      id,
      name: attr(element, 'name'),
      sourceId: source,
      targetId: target,
      condition: this.flowCondition(id, element),
      takeListeners: compileTakeListeners(this, element),
    };
  }

  /** Elements that failed to compile were already reported; do not report their flows again. */
  private isIgnoredOrReported(elementId: string): boolean {
    return this.errors.some((p) => p.elementId === elementId);
  }

  private flowCondition(flowId: string, flow: ModdleElement): Expression | null {
    const condition = child(flow, 'conditionExpression');
    if (!condition) return null;
    const language = attr(condition, 'language')?.toLowerCase() ?? null;
    const body = attr(condition, 'body');
    if (language !== null && language !== 'feel' && language !== 'juel') {
      this.problem(flowId, `Condition of '${flowId}' is written in '${language}': scripts are never evaluated; use \${...} or FEEL`);
      return null;
    }
    if (!body) {
      this.problem(flowId, `Condition of sequence flow '${flowId}' is empty`);
      return null;
    }
    const source = language === 'feel' && !body.trim().startsWith('=') ? `=${body}` : body;
    return this.optionalExpression(flowId, source);
  }

  optionalExpression(elementId: string | undefined, source: string | null): Expression | null {
    if (source === null) return null;
    // XML bodies carry indentation around `${...}`; literal text keeps its spacing as written
    const trimmed = source.trim();
    const text = /^([$#]\{|=)/.test(trimmed) ? trimmed : source;
    try {
      return compileExpression(text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.problem(elementId, `Invalid expression on '${elementId}': ${error.message}`);
      return null;
    }
  }

  /** `camunda:candidateGroups="a, b, ${dynamic}"`: each comma-separated part is its own expression. */
  private expressionList(elementId: string | undefined, source: string | null): Expression[] {
    if (!source) return [];
    return splitOutsideExpressions(source)
      .map((part) => this.optionalExpression(elementId, part))
      .filter((e): e is Expression => e !== null);
  }

  private checkActivity(activity: Activity): void {
    const mutable = activity as unknown as MutableActivity;
    if (mutable.kind === 'subProcess') this.attachSubScope(mutable);
    const gateway = activity.kind.endsWith('Gateway');
    if (gateway && activity.outgoing.length === 0) {
      this.problem(activity.id, `Gateway '${activity.id}' has no outgoing sequence flow`);
    }
    if (activity.defaultFlowId && !activity.outgoing.some((f) => f.id === activity.defaultFlowId)) {
      this.problem(activity.id, `Default flow '${activity.defaultFlowId}' of '${activity.id}' is not one of its outgoing flows`);
    }
    if (activity.kind === 'parallelGateway') {
      for (const flow of activity.outgoing) {
        if (flow.condition) this.problem(flow.id, `Sequence flow '${flow.id}' leaves parallel gateway '${activity.id}' and must not have a condition`);
      }
    }
    if (activity.kind === 'eventBasedGateway') this.checkEventBasedGateway(activity);
    if (activity.kind === 'startEvent' && activity.incoming.length > 0) {
      this.problem(activity.id, `Start event '${activity.id}' must not have incoming sequence flows`);
    }
    if (activity.kind === 'endEvent' && activity.outgoing.length > 0) {
      this.problem(activity.id, `End event '${activity.id}' must not have outgoing sequence flows`);
    }
  }

  /** Every flow of an event-based gateway leads to a catch event or a receive task waiting for a message. */
  private checkEventBasedGateway(gateway: Activity): void {
    for (const flow of gateway.outgoing) {
      const target = this.activities.get(flow.targetId);
      const waits = target && (target.kind === 'catchEvent' || target.kind === 'receiveTask') && target.trigger !== null;
      if (!waits) {
        this.problem(gateway.id, `Event-based gateway '${gateway.id}' may only lead to timer, message or signal catch events or receive tasks with a message, not '${flow.targetId}'`);
      }
      if (flow.condition) this.problem(flow.id, `Sequence flow '${flow.id}' leaves event-based gateway '${gateway.id}' and must not have a condition`);
    }
  }

  private attachSubScope(activity: MutableActivity): void {
    const element = activity.pendingElement as ModdleElement;
    delete activity.pendingElement;
    const subScope = this.compileScope(element, activity.scope);
    if (subScope) activity.subScope = subScope;
  }
}

/** What a boundary event can be attached to. */
/** `<camunda:properties><camunda:property name value/></camunda:properties>` as a plain record. */
const ATTACHABLE = new Set<Activity['kind']>(['userTask', 'externalTask', 'receiveTask', 'subProcess', 'callActivity', 'passThrough']);

/** Splits on commas that are not inside `${...}` / `#{...}`. */
function splitOutsideExpressions(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of source) {
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}
