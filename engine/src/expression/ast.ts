/**
 * The syntax tree of one EL expression (the text between `${` and `}`).
 * Operator aliases (`and`, `div`, `eq`, ...) are normalised by the parser, so the
 * evaluator only ever sees the symbolic form.
 */
export type Node = LiteralNode | IdentifierNode | MemberNode | UnaryNode | BinaryNode | ConditionalNode;

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
