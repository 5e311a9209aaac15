import type { BinaryNode, BinaryOperator, CallNode, MemberNode, Node, TemplatePart, UnaryNode } from './ast.js';
import { isEmpty, isNil, toBoolean, toText } from './coercion.js';
import { abbreviate, EvaluationFailure, ExpressionError, ExpressionEvaluationError } from './errors.js';
import { findHostMethod } from './host-object.js';
import { arithmetic, equality, negate, relational } from './operators.js';
import { readProperty } from './property-access.js';
import type { VariableResolver } from './variables.js';

interface Scope {
  readonly source: string;
  readonly variables: VariableResolver;
}

/** One `${...}` alone gives its typed value; anything else is concatenated text. */
export function evaluateTemplate(source: string, parts: readonly TemplatePart[], variables: VariableResolver): unknown {
  const scope: Scope = { source, variables };
  return withErrorContext(source, () => {
    const [only] = parts;
    if (parts.length === 1 && only?.kind === 'el') return normalize(evaluateNode(only.node, scope));
    return parts.map((part) => (part.kind === 'text' ? part.text : toText(evaluateNode(part.node, scope)))).join('');
  });
}

/** Gives every failure the expression text, and keeps foreign errors (e.g. from a resolver) as `cause`. */
function withErrorContext<T>(source: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    const shown = abbreviate(source);
    if (error instanceof EvaluationFailure) {
      throw new ExpressionEvaluationError(`${error.message} in expression: ${shown}`, source, { cause: error });
    }
    const cause = error instanceof Error ? error.message : String(error);
    throw new ExpressionEvaluationError(`Cannot evaluate expression: ${shown}. Cause: ${cause}`, source, { cause: error });
  }
}

function evaluateNode(node: Node, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'identifier':
      return resolveIdentifier(node.name, scope);
    case 'member':
    case 'call':
      return evaluateAccessChain(node, scope);
    case 'unary':
      return evaluateUnary(node, scope);
    case 'binary':
      return evaluateBinary(node, scope);
    case 'conditional':
      return evaluateNode(toBoolean(evaluateNode(node.test, scope)) ? node.consequent : node.alternate, scope);
  }
}

function resolveIdentifier(name: string, scope: Scope): unknown {
  if (!scope.variables.has(name)) {
    // Camunda's wording, so messages (and tests) ported from Camunda 7 still match
    throw new ExpressionEvaluationError(
      `Unknown property used in expression: ${abbreviate(scope.source)}. Cause: Cannot resolve identifier '${name}'`,
      scope.source,
    );
  }
  return normalize(scope.variables.get(name));
}

/** One step of a chain like `a.b[c].d(e)`. */
type AccessNode = MemberNode | CallNode;

/**
 * `a.b[c].d(e)` is a left-deep chain; it is walked in a loop so a long chain cannot overflow
 * the stack.
 */
function evaluateAccessChain(node: AccessNode, scope: Scope): unknown {
  const chain: AccessNode[] = [];
  let base: Node = node;
  while (base.kind === 'member' || base.kind === 'call') {
    chain.push(base);
    base = base.object;
  }
  let value = evaluateNode(base, scope);
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const step = chain[index]!;
    value = step.kind === 'call' ? callMethod(step, value, scope) : readMember(step, value, scope);
  }
  return value;
}

/** As in JUEL, a property of null is null, and its index expression is not even evaluated. */
function readMember(node: MemberNode, base: unknown, scope: Scope): unknown {
  if (isNil(base)) return null;
  return normalize(readProperty(base, evaluateNode(node.property, scope)));
}

/**
 * The method is looked up before the arguments are evaluated, so a call that cannot happen
 * does not run the side effects of calls in its arguments. Calling on null fails, as in JUEL.
 */
function callMethod(node: CallNode, target: unknown, scope: Scope): unknown {
  const method = findHostMethod(target, toText(evaluateNode(node.method, scope)), node.target);
  const args = node.args.map((arg) => evaluateNode(arg, scope));
  return normalize(method(...args));
}

function evaluateUnary(node: UnaryNode, scope: Scope): unknown {
  const operand = evaluateNode(node.operand, scope);
  switch (node.operator) {
    case '-':
      return negate(operand);
    case '!':
      return !toBoolean(operand);
    case 'empty':
      return isEmpty(operand);
  }
}

/**
 * All binary operators are left-associative, so `a + b + c + ...` is a left-deep tree. It is
 * folded in a loop (innermost first) for the same stack-safety reason as member chains.
 */
function evaluateBinary(node: BinaryNode, scope: Scope): unknown {
  const chain: BinaryNode[] = [];
  let leftmost: Node = node;
  while (leftmost.kind === 'binary') {
    chain.push(leftmost);
    leftmost = leftmost.left;
  }
  let value = evaluateNode(leftmost, scope);
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const { operator, right } = chain[index]!;
    value = applyBinary(operator, value, () => evaluateNode(right, scope));
  }
  return value;
}

/** The right operand is a thunk so `&&`/`||` can short-circuit (`false && unknownVar` is fine). */
function applyBinary(operator: BinaryOperator, left: unknown, right: () => unknown): unknown {
  switch (operator) {
    case '&&':
      return toBoolean(left) ? toBoolean(right()) : false;
    case '||':
      return toBoolean(left) ? true : toBoolean(right());
    case '==':
    case '!=':
      return equality(operator, left, right());
    case '<':
    case '>':
    case '<=':
    case '>=':
      return relational(operator, left, right());
    default:
      return arithmetic(operator, left, right());
  }
}

/** Variables and properties may be `undefined` in JS; EL only knows null. */
function normalize(value: unknown): unknown {
  return value === undefined ? null : value;
}
