/**
 * The syntax tree of one EL expression (the text between `${` and `}`).
 * Operator aliases (`and`, `div`, `eq`, ...) are normalised by the parser, so the
 * evaluator only ever sees the symbolic form.
 */
export type Node = LiteralNode | IdentifierNode | MemberNode | CallNode | UnaryNode | BinaryNode | ConditionalNode;

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly name: string;
}

/** `object.name` (property is a string literal) and `object[expression]`. */
export interface MemberNode {
  readonly kind: 'member';
  readonly object: Node;
  readonly property: Node;
}

/**
 * `object.name(args)` and `object[expression](args)`. Only a property access can be called,
 * and at run time only a method of a host object (see host-object.ts).
 */
export interface CallNode {
  readonly kind: 'call';
  readonly object: Node;
  /** the method name: a string literal after a dot, any expression in brackets */
  readonly method: Node;
  readonly args: readonly Node[];
  /** the source text of `object`, to name the target in errors */
  readonly target: string;
}

export type UnaryOperator = '-' | '!' | 'empty';

export interface UnaryNode {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: Node;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type RelationalOperator = '<' | '>' | '<=' | '>=';
export type EqualityOperator = '==' | '!=';
export type LogicalOperator = '&&' | '||';
export type BinaryOperator = ArithmeticOperator | RelationalOperator | EqualityOperator | LogicalOperator;

export interface BinaryNode {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Node;
  readonly right: Node;
}

export interface ConditionalNode {
  readonly kind: 'conditional';
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
}

/** A `${...}`/`#{...}` template split into the parts the evaluator concatenates. */
export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'el'; readonly node: Node };
