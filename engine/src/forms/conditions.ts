import { evaluate, parseExpression, parseUnaryTests, unaryTest } from 'feelin';
import { LruCache } from '../expression/lru-cache.js';

/**
 * A form-js FEEL expression (`=…`) as the server evaluates it: `conditional.hide` as a unary test
 * (form-js hides the field when the test is exactly `true`), expression fields as an expression.
 *
 * feelin has no API to evaluate a tree parsed earlier, and one evaluation costs 100–300 µs (about
 * half of it parsing), so what is kept per expression is what the parse tells: whether it parses
 * and what it reads — variables, and the properties it reads of them (`this.unit`: the row's unit,
 * not the whole row). Results are remembered per the values read: the inputs of a hide condition
 * are mostly a status, a checkbox or a select, so a handful of entries serve every submission.
 * Expressions that call `now()` or `today()` are never remembered.
 */
export class FormExpression {
  /** remembered results by the values read; emptied when full (a memo, not a cache worth ordering) */
  private readonly results: Map<string, unknown> | null;

  private constructor(
    /** the text after `=` */
    readonly body: string,
    private readonly mode: 'unaryTest' | 'expression',
    /** names of the variables it reads (the first name of each path: `this.amount` reads `this`) */
    readonly names: readonly string[],
    /** what it reads of them: `this.amount` → ['this', 'amount'] */
    private readonly inputs: readonly (readonly string[])[],
  ) {
    this.results = /\b(now|today)\s*\(/.test(body) ? null : new Map();
  }

  /** The compiled expression, or the problem with its syntax. Cached per text. */
  static compile(source: string, mode: 'unaryTest' | 'expression'): FormExpression | { readonly problem: string } {
    const cacheKey = `${mode}\u0000${source}`;
    const cached = compiled.get(cacheKey);
    if (cached) return cached;
    if (!source.startsWith('=')) return { problem: 'not a FEEL expression (it must start with =)' };
    const body = source.slice(1);
    const tree = mode === 'unaryTest' ? parseUnaryTests(body, {}, undefined) : parseExpression(body, {}, undefined);
    const inputs = new Map<string, string[]>();
    let errorAt: number | null = null;
    tree.iterate({
      enter(node) {
        if (errorAt !== null) return false;
        if (node.type.isError) errorAt = node.from;
        else if (node.name === 'VariableName') {
          const path = readPath(node.node, body);
          inputs.set(path.join('.'), path);
        }
        return undefined;
      },
    });
    if (errorAt !== null) return { problem: `FEEL syntax error at offset ${errorAt}` };
    const paths = [...inputs.values()];
    const expression = new FormExpression(body, mode, [...new Set(paths.map((path) => path[0]))], paths);
    compiled.set(cacheKey, expression);
    return expression;
  }

  /** The value for the variables `variables` gives (undefined: not in the context at all). */
  evaluate(variables: FeelVariables): unknown {
    if (!this.results) return this.run(this.context(variables));
    const key = this.memoKey(variables);
    const remembered = this.results.get(key);
    if (remembered !== undefined) return remembered;
    const value = this.run(this.context(variables));
    if (this.results.size >= RESULTS_PER_EXPRESSION) this.results.clear();
    this.results.set(key, value);
    return value;
  }

  /** The values read, as a key; a single text or number (a status, a select: the usual case) skips JSON. */
  private memoKey(variables: FeelVariables): string {
    if (this.inputs.length === 1) {
      const path = this.inputs[0];
      const only = valueAt(variables.variable(path[0]), path);
      if (typeof only === 'string' || typeof only === 'number' || typeof only === 'boolean') return `${typeof only}:${only}`;
    }
    return JSON.stringify(this.inputs.map((path) => valueAt(variables.variable(path[0]), path)));
  }

  private context(variables: FeelVariables): Record<string, unknown> {
    const context: Record<string, unknown> = {};
    for (const name of this.names) {
      const value = variables.variable(name);
      if (value !== undefined) context[name] = value;
    }
    return context;
  }

  /** form-js treats an expression that fails as having no value (a hide condition then shows the field). */
  private run(context: Record<string, unknown>): unknown {
    try {
      const result = this.mode === 'unaryTest' ? unaryTest(this.body, context) : evaluate(this.body, context);
      return result.value ?? null;
    } catch {
      return null;
    }
  }
}

/** Where an expression's variables come from. */
export interface FeelVariables {
  /** the variable's value, or undefined when there is no such variable */
  variable(name: string): unknown;
}

/** A variable and the property names read after it: `this.a.b` → ['this', 'a', 'b']; a filter (`items[1]`) ends the path. */
function readPath(variable: SyntaxNode, body: string): string[] {
  const path = [body.slice(variable.from, variable.to)];
  for (let node = variable, parent = node.parent; parent?.name === 'PathExpression' && parent.firstChild?.from === node.from && parent.firstChild.to === node.to; node = parent, parent = node.parent) {
    const property = parent.lastChild;
    if (property?.name !== 'PathName') break;
    path.push(body.slice(property.from, property.to));
  }
  return path;
}

/** The value at `path` after its variable (`path[0]`), with FEEL's path semantics: a property of a list is the list of its items' properties. */
function valueAt(value: unknown, path: readonly string[], from = 1): unknown {
  let current = value;
  for (let index = from; index < path.length; index++) {
    if (current === null || typeof current !== 'object') return null;
    if (Array.isArray(current)) return current.map((item: unknown) => valueAt(item, path, index));
    current = (current as Record<string, unknown>)[path[index]];
  }
  return current;
}

type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

const RESULTS_PER_EXPRESSION = 256;
const compiled = new LruCache<string, FormExpression>(5_000);
