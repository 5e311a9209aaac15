import type { ModdleElement } from 'bpmn-moddle';
import type { Expression } from '../../expression/index.js';
import { parseTimer, TimerSyntaxError, type TimerType } from '../../timer/index.js';
import type { EventTrigger } from '../model/index.js';
import { attr, child, children, lowerFirst } from './elements.js';
import type { CompileSupport } from './support.js';

/** Which triggers each kind of event element may carry. */
export type TriggerPlace = 'start' | 'catch' | 'boundary';

const ALLOWED: Record<TriggerPlace, readonly EventTrigger['type'][]> = {
  start: ['timer', 'message', 'signal'],
  catch: ['timer', 'message', 'signal'],
  boundary: ['timer', 'message', 'signal', 'error'],
};

const TIMER_TYPES: readonly TimerType[] = ['timeDate', 'timeDuration', 'timeCycle'];

/**
 * The trigger of an event element: its single event definition compiled, or undefined when it has
 * none (a none event). Null when the definition is not supported here, after reporting why.
 */
export function compileTrigger(support: CompileSupport, element: ModdleElement, place: TriggerPlace): EventTrigger | null | undefined {
  const definitions = children(element, 'eventDefinitions');
  const [definition] = definitions;
  if (!definition) return undefined;
  const id = element.id;
  if (definitions.length > 1) {
    support.problem(id, `'${id}' has ${definitions.length} event definitions: multiple events on one element are not supported`);
    return null;
  }
  const trigger = compileDefinition(support, id, definition);
  if (trigger && !ALLOWED[place].includes(trigger.type)) {
    support.problem(id, `A ${trigger.type} event definition is not supported on ${lowerFirst(element.$type)} '${id}'`);
    return null;
  }
  return trigger;
}

function compileDefinition(support: CompileSupport, id: string | undefined, definition: ModdleElement): EventTrigger | null {
  switch (definition.$type) {
    case 'bpmn:TimerEventDefinition':
      return compileTimer(support, id, definition);
    case 'bpmn:MessageEventDefinition':
      return namedTrigger(support, id, 'message', child(definition, 'messageRef'));
    case 'bpmn:SignalEventDefinition':
      return namedTrigger(support, id, 'signal', child(definition, 'signalRef'));
    case 'bpmn:ErrorEventDefinition': {
      const error = child(definition, 'errorRef');
      return {
        type: 'error',
        errorCode: error ? attr(error, 'errorCode') : null,
        errorCodeVariable: attr(definition, 'camunda:errorCodeVariable'),
        errorMessageVariable: attr(definition, 'camunda:errorMessageVariable'),
      };
    }
    default:
      support.problem(id, `${lowerFirst(definition.$type)} on '${id}' is not supported`);
      return null;
  }
}

/** Exactly one of timeDate, timeDuration, timeCycle; a literal is checked now, an expression when the timer starts. */
function compileTimer(support: CompileSupport, id: string | undefined, definition: ModdleElement): EventTrigger | null {
  const present = TIMER_TYPES.filter((type) => child(definition, type));
  const [timerType] = present;
  if (present.length !== 1 || !timerType) {
    support.problem(id, `Timer '${id}' needs exactly one of timeDate, timeDuration or timeCycle, found ${present.length}`);
    return null;
  }
  const body = attr(child(definition, timerType) as ModdleElement, 'body')?.trim() ?? '';
  if (!body) {
    support.problem(id, `The ${timerType} of timer '${id}' is empty`);
    return null;
  }
  const expression = support.optionalExpression(id, body);
  if (!expression) return null;
  if (expression.language === 'literal') checkTimerText(support, id, timerType, body);
  return { type: 'timer', timerType, definition: expression };
}

function checkTimerText(support: CompileSupport, id: string | undefined, timerType: TimerType, text: string): void {
  try {
    parseTimer(timerType, text);
  } catch (error) {
    if (!(error instanceof TimerSyntaxError)) throw error;
    support.problem(id, `Invalid ${timerType} on timer '${id}': ${error.message}`);
  }
}

function namedTrigger(support: CompileSupport, id: string | undefined, type: 'message' | 'signal', ref: ModdleElement | null): EventTrigger | null {
  const name = ref ? attr(ref, 'name') : null;
  if (!name) {
    support.problem(id, `The ${type} event '${id}' must reference a ${type} with a name (${type}Ref)`);
    return null;
  }
  const expression: Expression | null = support.optionalExpression(id, name);
  return expression ? { type, name: expression } : null;
}
