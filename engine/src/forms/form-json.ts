/** A form-js form as that package writes it: `{ id, type: 'default', components, schemaVersion, exporter? }`. */
export interface FormJson {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly components: readonly FormComponent[];
  readonly [property: string]: unknown;
}

/** One entry of `components`, as form-js and our `yw-*` field types write it; only what the server reads is typed. */
export interface FormComponent {
  readonly type: string;
  readonly id?: string;
  readonly key?: string;
  readonly label?: string;
  /** groups and dynamic lists: where their children's values live (dot path) */
  readonly path?: string;
  readonly components?: readonly FormComponent[];
  readonly validate?: FormComponentValidation;
  /** static options of radio, select, checklist and taglist */
  readonly values?: readonly FormOption[];
  readonly valuesKey?: string;
  readonly valuesExpression?: string;
  readonly conditional?: { readonly hide?: string };
  readonly readonly?: boolean | string;
  readonly [property: string]: unknown;
}

/** Limits may be numbers or, in form-js, FEEL expressions (`=...`) evaluated in the browser. */
export interface FormComponentValidation {
  readonly required?: boolean;
  readonly minLength?: number | string;
  readonly maxLength?: number | string;
  readonly pattern?: string;
  readonly validationType?: 'email' | 'phone' | string;
  readonly min?: number | string;
  readonly max?: number | string;
}

export interface FormOption {
  readonly label: string;
  readonly value: unknown;
}

/** A value path segment pattern of form-js (`key` and `path` are dot-separated runs of word characters). */
export const KEY_PATTERN = /^\w+(\.\w+)*$/;
