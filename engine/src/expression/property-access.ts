import { isNil } from './coercion.js';

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/**
 * `base.key` / `base[key]` with JUEL's forgiving results: a null base, a missing key and an
 * index out of range all give null. Primitives have no readable properties here.
 */
export function readProperty(base: unknown, key: unknown): unknown {
  if (isNil(base) || isNil(key)) return null;
  if (Array.isArray(base)) return readElement(base, key);
  if (base instanceof Map) return base.has(key) ? base.get(key) : null;
  if (typeof base !== 'object') return null;
  const name = typeof key === 'string' ? key : String(key);
  return readObjectProperty(base, name);
}

/** Like JUEL's ListELResolver: the key must be an integer (or integer text); `length` is a JS bonus. */
function readElement(list: readonly unknown[], key: unknown): unknown {
  const index = toIndex(key);
  if (index === null) return key === 'length' ? list.length : null;
  return index >= 0 && index < list.length ? list[index] : null;
}

function toIndex(key: unknown): number | null {
  if (typeof key === 'number') return Number.isFinite(key) ? Math.trunc(key) : null;
  if (typeof key === 'string' && INTEGER_TEXT.test(key)) return Number(key);
  return null;
}

/**
 * Own properties first (plain JSON variables); inherited ones only when they are not part of
 * `Object.prototype`, so `a.constructor` or `a.__proto__` never leak engine internals, while
 * getters of class instances (e.g. the `execution` object) still work. Inherited methods read
 * as null because they could not be called anyway.
 */
function readObjectProperty(object: object, name: string): unknown {
  if (Object.hasOwn(object, name)) return Reflect.get(object, name);
  if (name in Object.prototype || !(name in object)) return null;
  const value: unknown = Reflect.get(object, name);
  return typeof value === 'function' ? null : value;
}
