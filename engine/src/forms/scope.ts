import type { FeelVariables, FormExpression } from './conditions.js';
import type { StructNode } from './model.js';

type Data = Readonly<Record<string, unknown>>;

/**
 * Where an expression of the form is evaluated: the form's data, and inside a dynamic list the
 * row. The variables are form-js's (`buildExpressionContext`): every key of the form's data, then
 * `this` (the row, or the data at the top), `parent` (the enclosing row), `i` (1-based row
 * numbers, outermost first), each also as `_this_`, `_parent_`, `_i_`; the data's keys win.
 */
export class ExpressionScope implements FeelVariables {
  /** made when a condition is first evaluated here: most rows of most forms have none */
  private hideResults: Map<FormExpression, boolean> | null = null;

  private constructor(
    private readonly root: StructNode,
    private readonly data: Data,
    private readonly row: Data,
    private readonly outer: ExpressionScope | null,
    /** 1-based number of this row in its list, 0 at the top */
    private readonly rowNumber: number,
  ) {}

  static top(root: StructNode, data: Data): ExpressionScope {
    return new ExpressionScope(root, data, data, null, 0);
  }

  /** The scope of row `index` (0-based) of a dynamic list in this scope. */
  rowScope(row: Data, index: number): ExpressionScope {
    return new ExpressionScope(this.root, this.data, row, this, index + 1);
  }

  /** Whether a hide condition holds here; each is evaluated once per scope. */
  hides(condition: FormExpression): boolean {
    this.hideResults ??= new Map();
    let hidden = this.hideResults.get(condition);
    if (hidden === undefined) {
      hidden = condition.evaluate(this) === true;
      this.hideResults.set(condition, hidden);
    }
    return hidden;
  }

  /** form-js's `i`: the row numbers from the outermost list in. */
  private indexes(): number[] {
    return this.outer ? [...this.outer.indexes(), this.rowNumber] : [];
  }

  evaluate(expression: FormExpression): unknown {
    return expression.evaluate(this);
  }

  /** A variable's value; a field of the form that was not submitted is null, as form-js's empty value; anything else is not in the context. */
  variable(name: string): unknown {
    if (Object.hasOwn(this.data, name)) return this.data[name] ?? null;
    switch (name) {
      case 'this':
      case '_this_':
        return this.row;
      case 'parent':
      case '_parent_':
        return this.outer?.row ?? null;
      case 'i':
      case '_i_':
        return this.indexes();
      default:
        return this.root.children.has(name) ? null : undefined;
    }
  }
}
