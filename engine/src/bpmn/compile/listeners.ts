import type { ModdleElement } from 'bpmn-moddle';
import type { Expression } from '../../expression/index.js';
import type { AsyncContinuation, ExecutionListeners, TaskListeners } from '../model/index.js';
import { attr, extensions, flag } from './elements.js';
import type { CompileSupport } from './support.js';

const EXECUTION_EVENTS = ['start', 'end'] as const;
const TAKE_EVENTS = ['take'] as const;
const TASK_EVENTS = ['create', 'assignment', 'complete'] as const;

/**
 * `camunda:executionListener` elements of an activity or the process. Only the expression type
 * runs here: Java classes and delegate beans do not exist in this engine and scripts are never evaluated.
 */
export function compileExecutionListeners(support: CompileSupport, element: ModdleElement): ExecutionListeners {
  const byEvent = listenersByEvent(support, element, 'camunda:ExecutionListener', EXECUTION_EVENTS);
  return { start: byEvent.start, end: byEvent.end };
}

/** `camunda:executionListener` elements of a sequence flow: only `take` happens to a flow. */
export function compileTakeListeners(support: CompileSupport, element: ModdleElement): Expression[] {
  return listenersByEvent(support, element, 'camunda:ExecutionListener', TAKE_EVENTS).take;
}

export function compileTaskListeners(support: CompileSupport, element: ModdleElement): TaskListeners {
  const byEvent = listenersByEvent(support, element, 'camunda:TaskListener', TASK_EVENTS);
  return { create: byEvent.create, assignment: byEvent.assignment, complete: byEvent.complete };
}

function listenersByEvent<E extends string>(support: CompileSupport, element: ModdleElement, type: string, events: readonly E[]): Record<E, Expression[]> {
  const byEvent = Object.fromEntries(events.map((event) => [event, [] as Expression[]])) as Record<E, Expression[]>;
  const id = element.id;
  for (const listener of extensions(element, type)) {
    const event = attr(listener, 'event') as E | null;
    if (!event || !events.includes(event)) {
      support.problem(id, `${type} on '${id}' has event '${event ?? ''}': supported events are ${events.join(', ')}`);
      continue;
    }
    const source = attr(listener, 'expression');
    if (!source) {
      support.problem(id, `${type} '${event}' on '${id}' must be of expression type: classes, delegate expressions and scripts do not run in this engine`);
      continue;
    }
    const expression = support.optionalExpression(id, source);
    if (expression) byEvent[event].push(expression);
  }
  return byEvent;
}

/** `camunda:asyncBefore`, `camunda:asyncAfter`, `camunda:exclusive` and the failed-job retry cycle. */
export function compileAsync(support: CompileSupport, element: ModdleElement): AsyncContinuation {
  const [retryCycle] = extensions(element, 'camunda:FailedJobRetryTimeCycle');
  const retryText = retryCycle ? attr(retryCycle, 'body') : null;
  return {
    before: flag(element, 'camunda:asyncBefore') || flag(element, 'camunda:async'),
    after: flag(element, 'camunda:asyncAfter'),
    exclusive: element.get('camunda:exclusive') !== false,
    retryTimeCycle: retryText ? support.optionalExpression(element.id, retryText.trim()) : null,
  };
}
