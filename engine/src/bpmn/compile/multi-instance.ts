import type { ModdleElement } from 'bpmn-moddle';
import type { Expression } from '../../expression/index.js';
import { multiInstanceBodyId, type Activity, type MultiInstanceBodyActivity, type MultiInstanceLoop, type MultiInstanceMode } from '../model/index.js';
import { attr, child, extensionProperties, flag } from './elements.js';
import { compileAsync } from './listeners.js';
import type { CompileSupport } from './support.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** The `camunda:properties` choosing how a multi-instance activity completes (the designer's 会签/或签/比例 setting). */
export const MULTI_INSTANCE_PROPERTIES = {
  /** all (会签, the default) | any (或签) | ratio */
  mode: 'yiwang:multiInstance',
  /** with `ratio`: the share of completed instances, in (0, 1], that completes the activity */
  ratio: 'yiwang:multiInstance:ratio',
} as const;

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
    const element = elements.find((e) => e.id === activity.id);
    const loopElement = element ? child(element, 'loopCharacteristics') : null;
    const mode = element ? compileMode(support, activity.id, extensionProperties(element)) : null;
    if (!loopElement) {
      if (mode) support.problem(activity.id, `${MULTI_INSTANCE_PROPERTIES.mode} on '${activity.id}' needs multi-instance loop characteristics (bpmn:multiInstanceLoopCharacteristics)`);
      continue;
    }
    const loop = compileLoop(support, activity.id, loopElement, mode);
    if (loop) bodies.push(wrapInBody(activity as Mutable<Activity>, loop, compileAsync(support, loopElement)));
  }
  return bodies;
}

/** The completion mode the activity's properties choose; null when they say nothing (or something wrong, reported). */
function compileMode(support: CompileSupport, id: string, properties: Readonly<Record<string, string>>): MultiInstanceMode | null {
  const P = MULTI_INSTANCE_PROPERTIES;
  const kind = properties[P.mode]?.trim();
  const ratioText = properties[P.ratio]?.trim();
  if (ratioText !== undefined && kind !== 'ratio') support.problem(id, `${P.ratio} on '${id}' needs ${P.mode}="ratio"`);
  if (kind === undefined) return null;
  if (kind === 'all' || kind === 'any') return { kind };
  if (kind !== 'ratio') {
    support.problem(id, `${P.mode} on '${id}' must be all (会签), any (或签) or ratio, not '${kind}'`);
    return null;
  }
  const ratio = Number(ratioText);
  if (!ratioText || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
    support.problem(id, `${P.ratio} on '${id}' must be a number greater than 0 and at most 1, not '${ratioText ?? ''}'`);
    return null;
  }
  return { kind: 'ratio', ratio };
}

/**
 * The completion condition a mode stands for, in the expression language the runtime already
 * evaluates on each ending instance (its counts are local to the body): 会签 needs none.
 */
function modeCondition(support: CompileSupport, id: string, mode: MultiInstanceMode): Expression | null {
  switch (mode.kind) {
    case 'all':
      return null;
    case 'any':
      return support.optionalExpression(id, '${nrOfCompletedInstances >= 1}');
    case 'ratio':
      // a division, not nrOfInstances * ratio: 3 / 10 is the same double as 0.3, 10 * 0.3 is not 3
      return support.optionalExpression(id, `\${nrOfCompletedInstances / nrOfInstances >= ${mode.ratio}}`);
  }
}

/**
 * Standard loops are refused; a multi-instance loop needs a cardinality or a collection, not both.
 * A completion mode and a `completionCondition` are not combined: the task says one or the other.
 */
function compileLoop(support: CompileSupport, id: string, element: ModdleElement, mode: MultiInstanceMode | null): MultiInstanceLoop | null {
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
  const completionCondition = formalExpression(support, id, element, 'completionCondition');
  if (mode && completionCondition) {
    support.problem(id, `Multi-instance activity '${id}' has both ${MULTI_INSTANCE_PROPERTIES.mode} and a completionCondition: keep one`);
  }
  return {
    sequential: flag(element, 'isSequential'),
    loopCardinality,
    collection,
    elementVariable,
    completionCondition: mode ? modeCondition(support, id, mode) : completionCondition,
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
    // the inner activity fills its variables when each instance enters it
    lookups: [],
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
