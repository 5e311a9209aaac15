import { isNil } from './coercion.js';
import { abbreviate, EvaluationFailure } from './errors.js';

/**
 * A method an expression may call. Arguments come straight from the expression, so an
 * implementation must check their types itself. It is called without `this`.
 */
export type HostMethod = (...args: unknown[]) => unknown;

declare const hostObjectBrand: unique symbol;

/** An engine object (execution, task, ...) whose methods expressions may call; only `hostObject` makes one. */
export type HostObject = Readonly<Record<string, unknown>> & { readonly [hostObjectBrand]: true };

/**
 * The methods of every host object, keyed by the object itself. A WeakMap rather than a
 * (symbol) property, so nothing on the object marks it callable: copies, spreads and JSON
 * round trips of it are plain data, and so is every value an expression can build or read.
 */
const methodsByHost = new WeakMap<object, ReadonlyMap<string, HostMethod>>();

/**
 * Builds the object an expression sees, e.g. `execution`: reading `execution.x` gives the
 * properties (getters stay live), and `execution.m(...)` calls one of `methods`, which are
 * never readable as properties. The result is a fresh frozen object, so no variable or other
 * data can be the same object and share its methods.
 */
export function hostObject(properties: Readonly<Record<string, unknown>>, methods: Readonly<Record<string, HostMethod>>): HostObject {
  // a plain prototype, not null: feelin and other libraries call String() on context values
  const host = Object.freeze(Object.defineProperties({}, Object.getOwnPropertyDescriptors(properties)));
  // own enumerable entries only, so `constructor` or `toString` can never be looked up
  methodsByHost.set(host, new Map(Object.entries(methods)));
  return host as HostObject;
}

/**
 * The method `name` of `target`, which must be a host object.
 * `targetText` is the source text of the target, used to name it in the failure.
 */
export function findHostMethod(target: unknown, name: string, targetText: string): HostMethod {
  const methods = typeof target === 'object' && target !== null ? methodsByHost.get(target) : undefined;
  const method = methods?.get(name);
  if (method !== undefined) return method;
  throw new EvaluationFailure(`Cannot call '${name}' on ${abbreviate(targetText)}: ${whyNotCallable(target, methods)}`);
}

function whyNotCallable(target: unknown, methods: ReadonlyMap<string, HostMethod> | undefined): string {
  if (isNil(target)) return 'it is null';
  if (methods === undefined) return 'only the methods of execution, task and other engine objects can be called';
  const available = [...methods.keys()].join(', ');
  return `it has no such method (available: ${available === '' ? 'none' : available})`;
}
