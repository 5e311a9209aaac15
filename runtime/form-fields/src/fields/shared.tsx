import { Description, Errors, FormContext, Label } from '@bpmn-io/form-js-viewer';
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useContext } from 'preact/hooks';
import type { FormFieldsDataSource } from '../data-source.js';
import { createTranslate, type Language, type Translate } from '../i18n/translate.js';
import type { BaseField } from './schema.js';

/** What an app passes to `new Form({ yiwang })` / `new FormEditor({ yiwang })`. */
export interface YiwangFormOptions {
  /** where the pickers read users, departments, dictionaries and regions */
  readonly dataSource?: FormFieldsDataSource;
  /** zh-CN unless told otherwise */
  readonly language?: Language;
  /** XYZ tile URL template (`…/{z}/{x}/{y}.png`) for location fields without their own `tileUrl` */
  readonly tileUrl?: string;
  /** where a location field's map opens when it holds no position yet (default: all of China) */
  readonly mapCenter?: { readonly longitude: number; readonly latitude: number };
  readonly mapZoom?: number;
}

/** The props form-js hands a field renderer (FormField in form-js-viewer). */
export interface FieldProps<F extends BaseField = BaseField, V = unknown> {
  readonly field: F;
  readonly value: V | null | undefined;
  readonly errors?: readonly string[];
  readonly disabled?: boolean;
  readonly readonly?: boolean;
  readonly domId: string;
  onChange(update: { value: unknown }): void;
  onBlur?(): void;
  onFocus?(): void;
}

/** form-js's field config: how the palette shows a type, what a new field holds, how values are cleaned. */
export interface FieldConfig {
  readonly type: string;
  readonly keyed: boolean;
  readonly name: string;
  readonly label: string;
  readonly group: string;
  readonly emptyValue: unknown;
  readonly propertiesPanelEntries: readonly string[];
  readonly sanitizeValue?: (input: { formField: BaseField; value: unknown }) => unknown;
  readonly create: (options?: Record<string, unknown>) => Record<string, unknown>;
  readonly icon?: FunctionComponent<Record<string, unknown>>;
}

export type FieldRenderer = FunctionComponent<FieldProps<never, never>> & { config: FieldConfig };

interface FormServices {
  getService(name: string, strict?: boolean): unknown;
}

/** A service of the form (viewer) or editor the field is rendered in; undefined when absent. */
export function useService<T>(name: string): T | undefined {
  const { getService } = useContext(FormContext as unknown as import('preact').Context<FormServices>);
  return getService(name, false) as T | undefined;
}

export function useOptions(): YiwangFormOptions {
  return useService<YiwangFormOptions>('config.yiwang') ?? {};
}

const fallbackTranslate = createTranslate();
export function useTranslate(): Translate {
  return useService<Translate>('yiwangTranslate') ?? fallbackTranslate;
}

export function fieldClasses(type: string, props: Pick<FieldProps, 'errors' | 'disabled' | 'readonly'>, extra = ''): string {
  return [
    'fjs-form-field', `fjs-form-field-${type}`, 'yw-field',
    props.errors?.length ? 'fjs-has-errors' : '', props.disabled ? 'fjs-disabled' : '', props.readonly ? 'fjs-readonly' : '', extra,
  ].filter(Boolean).join(' ');
}

/** Label above, description and errors below: the frame every form-js field has. */
export function FieldFrame(props: FieldProps & { children: ComponentChildren; labelFor?: string; extraClass?: string }) {
  const { field, domId, errors = [], children, labelFor, extraClass } = props;
  return (
    <div class={fieldClasses(field.type, props, extraClass)}>
      <Label htmlFor={labelFor ?? domId} label={field.label} required={Boolean(field.validate?.required)} />
      {children}
      <Description id={`${domId}-description`} description={field.description} />
      <Errors id={`${domId}-error-message`} errors={[...errors]} />
    </div>
  );
}

/** Whether the user may change the value (form-js renders disabled and read-only fields too). */
export const isEditable = (props: Pick<FieldProps, 'disabled' | 'readonly'>): boolean => !props.disabled && !props.readonly;
