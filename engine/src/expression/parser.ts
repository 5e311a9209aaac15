import type { BinaryOperator, Node, UnaryOperator } from './ast.js';
import { ExpressionSyntaxError } from './errors.js';
import { tokenize, type Token } from './tokenizer.js';

/** Deeper nesting is rejected so a hostile expression cannot overflow the stack (parser or evaluator). */
export const MAX_NESTING_DEPTH = 100;

/** Binding strength of binary operators; higher binds tighter. All of them are left-associative. */
const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3, '!=': 3,
  '<': 4, '>': 4, '<=': 4, '>=': 4,
  '+': 5, '-': 5,
  '*': 6, '/': 6, '%': 6,
};

const BINARY_ALIASES: Readonly<Record<string, BinaryOperator>> = {
  or: '||', and: '&&', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', div: '/', mod: '%',
};

/** Said for `f(x)`, `(a)(x)` and `a.m()()`: only a method named by a property access can be called. */
const FUNCTION_CALL_REASON = "function calls are not supported in expressions, only methods of engine objects such as execution.getVariable('name')";

const UNARY_OPERATORS: Readonly<Record<string, UnaryOperator>> = { '-': '-', '!': '!', not: '!', empty: 'empty' };

/**
 * Parses one EL body whose first character is at `start` (just after `${`) and returns the
 * tree plus the offset just past the closing `}`. Positions in errors are offsets into `source`.
 */
export function parseElBody(source: string, start: number): { node: Node; end: number } {
  const parser = new Parser(source, tokenize(source, start));
  return parser.parseBody();
}

/**
 * Recursive descent for the unary/postfix/primary levels and precedence climbing for the
 * binary operators, which keeps long operator chains iterative instead of recursive.
 */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseBody(): { node: Node; end: number } {
    const node = this.expression();
    const closing = this.peek();
    if (closing.type === 'end') throw this.error(closing, "missing '}' to close the expression");
    if (!isPunctuator(closing, '}')) throw this.unexpected(closing);
    return { node, end: closing.end };
  }

  /** Full expression including the ternary, which is right-associative through recursion. */
  private expression(): Node {
    return this.nested(() => {
      const test = this.binary(1);
      if (!isPunctuator(this.peek(), '?')) return test;
      this.advance();
      const consequent = this.expression();
      this.expect(':');
      const alternate = this.expression();
      return { kind: 'conditional', test, consequent, alternate };
    });
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const operator = binaryOperator(this.peek());
      if (operator === null || PRECEDENCE[operator] < minPrecedence) return left;
      this.advance();
      const right = this.binary(PRECEDENCE[operator] + 1);
      left = { kind: 'binary', operator, left, right };
    }
  }

  private unary(): Node {
    const token = this.peek();
    const isOperator = (token.type === 'punctuator' || token.type === 'keyword') && Object.hasOwn(UNARY_OPERATORS, token.text);
    if (!isOperator) return this.postfix();
    const operator = UNARY_OPERATORS[token.text]!;
    this.advance();
    return this.nested(() => ({ kind: 'unary', operator, operand: this.unary() }));
  }

  /** Property accesses and method calls; a chain of them is read in this loop, not by recursion. */
  private postfix(): Node {
    const start = this.peek().position;
    let node = this.primary();
    for (;;) {
      const token = this.peek();
      if (isPunctuator(token, '(')) throw this.error(token, FUNCTION_CALL_REASON);
      const property = this.accessor();
      if (property === null) return node;
      if (isPunctuator(this.peek(), '(')) {
        const target = this.source.slice(start, token.position).trimEnd();
        node = { kind: 'call', object: node, method: property, args: this.callArguments(), target };
      } else {
        node = { kind: 'member', object: node, property };
      }
    }
  }

  /** Reads `.name` or `[expression]` and returns the property; null when neither comes next. */
  private accessor(): Node | null {
    const token = this.peek();
    if (isPunctuator(token, '.')) {
      this.advance();
      return this.propertyName();
    }
    if (!isPunctuator(token, '[')) return null;
    this.advance();
    const property = this.expression();
    this.expect(']');
    return property;
  }

  /** `()` or `(a, b, ...)`; each argument is a full expression, so the depth guard covers nested calls. */
  private callArguments(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    if (isPunctuator(this.peek(), ')')) {
      this.advance();
      return args;
    }
    for (;;) {
      args.push(this.expression());
      const separator = this.advance();
      if (isPunctuator(separator, ')')) return args;
      if (!isPunctuator(separator, ',')) throw this.unexpected(separator, "',' or ')'");
    }
  }

  /** After a dot any word is a property name, so `task.empty` reads a property rather than failing. */
  private propertyName(): Node {
    const token = this.advance();
    if (token.type !== 'identifier' && token.type !== 'keyword') throw this.unexpected(token, "a property name after '.'");
    return { kind: 'literal', value: token.text };
  }

  private primary(): Node {
    const token = this.advance();
    switch (token.type) {
      case 'number':
        return { kind: 'literal', value: Number(token.text) };
      case 'string':
        return { kind: 'literal', value: token.text };
      case 'identifier':
        return { kind: 'identifier', name: token.text };
      case 'keyword':
        return this.keywordLiteral(token);
      case 'punctuator':
        if (token.text !== '(') throw this.unexpected(token);
        return this.parenthesized();
      case 'end':
        throw this.unexpected(token);
    }
  }

  private keywordLiteral(token: Token): Node {
    if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'literal', value: null };
    throw this.unexpected(token);
  }

  private parenthesized(): Node {
    const inner = this.expression();
    this.expect(')');
    return inner;
  }

  /** Counts nesting for the guard; every recursive path of the grammar goes through here. */
  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw this.error(this.peek(), `expression is nested more than ${MAX_NESTING_DEPTH} levels deep`);
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private peek(): Token {
    // The tokenizer always ends the list with `}` or `end`, and we never advance past those.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)]!;
  }

  private advance(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  private expect(punctuator: string): void {
    const token = this.advance();
    if (!isPunctuator(token, punctuator)) throw this.unexpected(token, `'${punctuator}'`);
  }

  private unexpected(token: Token, expected?: string): ExpressionSyntaxError {
    if (token.type === 'keyword' && token.text === 'instanceof') return this.error(token, "'instanceof' is not supported in expressions");
    const found = isClosing(token) ? 'unexpected end of expression' : `unexpected ${describeToken(token)}`;
    return this.error(token, expected === undefined ? found : `${found}, expected ${expected}`);
  }

  private error(token: Token, reason: string): ExpressionSyntaxError {
    return new ExpressionSyntaxError(this.source, token.position, reason);
  }
}

function binaryOperator(token: Token): BinaryOperator | null {
  if (token.type === 'punctuator' && Object.hasOwn(PRECEDENCE, token.text)) return token.text as BinaryOperator;
  if (token.type === 'keyword' && Object.hasOwn(BINARY_ALIASES, token.text)) return BINARY_ALIASES[token.text]!;
  return null;
}

function isPunctuator(token: Token, text: string): boolean {
  return token.type === 'punctuator' && token.text === text;
}

/** `}` ends the EL body, so meeting it where an operand belongs means the expression stopped early. */
function isClosing(token: Token): boolean {
  return token.type === 'end' || isPunctuator(token, '}');
}

function describeToken(token: Token): string {
  switch (token.type) {
    case 'identifier':
      return `identifier '${token.text}'`;
    case 'number':
      return `number ${token.text}`;
    case 'string':
      return `string '${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}
