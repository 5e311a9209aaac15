import type { ArithmeticOperator, EqualityOperator, RelationalOperator } from './ast.js';
import { isNil, isNumber, toBoolean, toNumber, toText, typeName } from './coercion.js';
import { EvaluationFailure } from './errors.js';

/**
 * `+` is numeric only, as in JUEL. All results are JS numbers, so `${7 / 2}` is 3.5 and
 * `${1.0 + 2}` is 3 (Java would print 3.0). Division by zero fails instead of giving
 * Java's Infinity/NaN, because such a value would only fail later and less clearly.
 */
export function arithmetic(operator: ArithmeticOperator, left: unknown, right: unknown): number {
  const a = toNumber(left);
  const b = toNumber(right);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / nonZero(b);
    case '%':
      return a % nonZero(b);
  }
}

/** Unary minus; `0 - n` rather than `-n` so that `-null` is 0, not -0. */
export function negate(value: unknown): number {
  return 0 - toNumber(value);
}

export function equality(operator: EqualityOperator, left: unknown, right: unknown): boolean {
  const same = equals(left, right);
  return operator === '==' ? same : !same;
}

/**
 * EL equality in JUEL's order of rules. Objects and arrays compare by identity (Java would use
 * `equals`, which is deep for lists and maps): deep comparison of variables is rarely what a
 * condition means, and identity keeps the cost predictable.
 */
export function equals(left: unknown, right: unknown): boolean {
  if (left === right || (isNil(left) && isNil(right))) return true;
  if (isNil(left) || isNil(right)) return false;
  // a number against a non-numeric string or a boolean fails, exactly as JUEL's coercion does
  if (isNumber(left) || isNumber(right)) return toNumber(left) === toNumber(right);
  if (typeof left === 'boolean' || typeof right === 'boolean') return toBoolean(left) === toBoolean(right);
  if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
  // a Date against a string compares its ISO form, the only text form a BPMN author can write
  if (isTextual(left) && isTextual(right)) return toText(left) === toText(right);
  return false;
}

/**
 * Relational operators: numbers (and numeric strings against numbers) numerically, strings
 * lexicographically by UTF-16 code unit (like Java's `compareTo`), dates by time.
 * A null operand makes the comparison false, as in JUEL.
 */
export function relational(operator: RelationalOperator, left: unknown, right: unknown): boolean {
  if (left === right || (isNil(left) && isNil(right))) return operator === '<=' || operator === '>=';
  if (isNil(left) || isNil(right)) return false;
  const order = compare(left, right);
  switch (operator) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
  }
}

/** Negative, zero or positive; NaN (from NaN or invalid dates) makes every comparison false. */
function compare(left: unknown, right: unknown): number {
  if ((isNumber(left) && isNumberLike(right)) || (isNumber(right) && isNumberLike(left))) {
    return toNumber(left) - toNumber(right);
  }
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  throw new EvaluationFailure(`Cannot compare ${typeName(left)} with ${typeName(right)}`);
}

/** Strings count as numbers next to a number; non-numeric ones then fail in the coercion with their value named. */
function isNumberLike(value: unknown): boolean {
  return isNumber(value) || typeof value === 'string';
}

function isTextual(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Date;
}

function nonZero(divisor: number): number {
  if (divisor === 0) throw new EvaluationFailure('Division by zero');
  return divisor;
}
