import type { ModdleElement } from 'bpmn-moddle';
import type { Expression } from '../../expression/index.js';
import { multiInstanceBodyId, type Activity, type MultiInstanceBodyActivity, type MultiInstanceLoop } from '../model/index.js';
import { attr, child, flag } from './elements.js';
import { compileAsync } from './listeners.js';
import type { CompileSupport } from './support.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** `camunda:collection="assignees"` names a variable; anything in `${...}`, `#{...}` or FEEL is an expression. */
const VARIABLE_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Wraps each multi-instance activity of a scope in its body (Camunda's `multiInstanceBody`), which
 * the returned list holds: the scope around the instances, entered and left through the activity's
 * sequence flows, holding its boundary events (attached later). `elements` are the scope's moddle
 * flow elements. `camunda:asyncBefore/After` on the activity apply to the body (one job before or
 * after all instances); on `multiInstanceLoopCharacteristics` they apply to each instance, as in Camunda.
 */
export function compileMultiInstanceBodies(support: CompileSupport, elements: readonly ModdleElement[], activities: readonly Activity[]): MultiInstanceBodyActivity[] {
  const bodies: MultiInstanceBodyActivity[] = [];
  for (const activity of activities) {
    const loopElement = elementById(elements, activity.id, 'loopCharacteristics');
    if (!loopElement) continue;
    const loop = compileLoop(support, activity.id, loopElement);
    if (loop) bodies.push(wrapInBody(activity as Mutable<Activity>, loop, compileAsync(support, loopElement)));
  }
  return bodies;
}

function elementById(elements: readonly ModdleElement[], id: string, childName: string): ModdleElement | null {
  const element = elements.find((e) => e.id === id);
  return element ? child(element, childName) : null;
}

/** Standard loops are refused; a multi-instance loop needs a cardinality or a collection, not both. */
function compileLoop(support: CompileSupport, id: string, element: ModdleElement): MultiInstanceLoop | null {
  if (element.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    support.problem(id, `Standard loop characteristics on '${id}' are not supported: use multi-instance (bpmn:multiInstanceLoopCharacteristics) instead`);
    return null;
  }
  const loopCardinality = formalExpression(support, id, element, 'loopCardinality');
  const collection = compileCollection(support, id, attr(element, 'camunda:collection'));
  const elementVariable = attr(element, 'camunda:elementVariable');
  if (!loopCardinality && !collection) {
    support.problem(id, `Multi-instance activity '${id}' needs a loopCardinality or a camunda:collection`);
  }
  if (loopCardinality && collection) {
    support.problem(id, `Multi-instance activity '${id}' has both a loopCardinality and a camunda:collection: set only one`);
  }
  if (elementVariable && !collection) {
    support.problem(id, `camunda:elementVariable on '${id}' needs a camunda:collection to take its elements from`);
  }
  return {
    sequential: flag(element, 'isSequential'),
    loopCardinality,
    collection,
    elementVariable,
    completionCondition: formalExpression(support, id, element, 'completionCondition'),
  };
}

function formalExpression(support: CompileSupport, id: string, element: ModdleElement, name: string): Expression | null {
  const expression = child(element, name);
  const body = expression ? attr(expression, 'body') : null;
  return body ? support.optionalExpression(id, body.trim()) : null;
}

/** A variable name becomes the expression reading that variable, so the runtime evaluates one kind of thing. */
function compileCollection(support: CompileSupport, id: string, source: string | null): Expression | null {
  if (!source) return null;
  const expression = support.optionalExpression(id, source);
  if (!expression || expression.language !== 'literal') return expression;
  const name = source.trim();
  if (!VARIABLE_NAME.test(name)) {
    support.problem(id, `camunda:collection '${source}' on '${id}' is neither an expression nor a variable name`);
    return null;
  }
  return support.optionalExpression(id, `\${${name}}`);
}

/**
 * The body takes over the activity's sequence flows, default flow and async flags; the activity
 * itself keeps its behaviour, mappings and listeners, and gets the loop's async flags. Its outgoing
 * flows must go: an instance that ends returns to the body rather than following them.
 */
function wrapInBody(inner: Mutable<Activity>, loop: MultiInstanceLoop, instanceAsync: Activity['async']): MultiInstanceBodyActivity {
  const body: MultiInstanceBodyActivity = {
    kind: 'multiInstanceBody',
    id: multiInstanceBodyId(inner.id),
    name: inner.name,
    activityType: 'multiInstanceBody',
    scope: inner.scope,
    incoming: inner.incoming,
    outgoing: inner.outgoing,
    defaultFlowId: inner.defaultFlowId,
    inputs: [],
    outputs: [],
    boundaryEvents: [],
    listeners: { start: [], end: [] },
    async: inner.async,
    multiInstance: null,
    inner: inner as Activity,
    loop,
  };
  inner.incoming = [];
  inner.outgoing = [];
  inner.defaultFlowId = null;
  inner.async = instanceAsync;
  inner.multiInstance = loop;
  return body;
}
