/**
 * form-js with our fields (@yiwang/form-fields), in the app's language: the editor for designing,
 * the viewer for the live preview. Only the form designer's route loads this module.
 */
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import '@yiwang/form-fields/style.css';
import { FormEditor } from '@bpmn-io/form-js-editor';
import { Form } from '@bpmn-io/form-js-viewer';
import { createFetchDataSource, yiwangFormFieldsEditorModule, yiwangFormFieldsViewerModule, type Language } from '@yiwang/form-fields';
import { readTokens } from '../api/index.js';
import type { FormSchema } from './api.js';

/** The pickers of 人员, 部门, 字典 and 行政区划 read the platform's /api with the session's token. */
function yiwangOptions(language: Language) {
  return { dataSource: createFetchDataSource('/', () => readTokens()?.accessToken ?? '', { language }), language };
}

export interface DesignEditor {
  importSchema(schema: FormSchema): Promise<unknown>;
  saveSchema(): FormSchema;
  on(event: string, handler: (event: unknown) => void): void;
  get<T>(service: string): T;
  destroy(): void;
}

export interface PreviewForm {
  importSchema(schema: FormSchema, data?: Record<string, unknown>): Promise<unknown>;
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown> };
  validate(): Record<string, unknown>;
  get<T>(service: string): T;
  _getState(): { errors: Record<string, unknown>; data: Record<string, unknown> };
  _setState(state: { errors: Record<string, unknown> }): void;
  destroy(): void;
}

/** What the server accepts as a field key: dot-separated letters, digits and underscores. */
const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function createEditor(container: HTMLElement, language: Language): DesignEditor {
  const editor = new FormEditor({ container, additionalModules: [yiwangFormFieldsEditorModule], yiwang: yiwangOptions(language) } as never) as unknown as DesignEditor;
  keepKeysValid(editor);
  return editor;
}

/**
 * form-js keys a new field `<type>_<random>`, which for our types (`yw-user_…`) holds a hyphen the
 * server refuses: a dropped field gets the same key with underscores, in the same undo step.
 */
function keepKeysValid(editor: DesignEditor): void {
  const eventBus = editor.get<{ on(event: string, handler: (event: { context: { formField?: { key?: unknown } } }) => void): void }>('eventBus');
  const modeling = editor.get<{ editFormField(field: unknown, property: string, value: unknown): void }>('modeling');
  eventBus.on('commandStack.formField.add.postExecuted', ({ context }) => {
    const field = context.formField;
    if (typeof field?.key === 'string' && !FIELD_KEY.test(field.key)) modeling.editFormField(field, 'key', field.key.replace(/[^A-Za-z0-9_.]/g, '_').replace(/^([0-9])/, '_$1'));
  });
}

export function createPreview(container: HTMLElement, language: Language): PreviewForm {
  return new Form({ container, additionalModules: [yiwangFormFieldsViewerModule], yiwang: yiwangOptions(language) } as never) as unknown as PreviewForm;
}

/** A new form's schema as form-js starts it. */
export function emptyForm(key: string): FormSchema {
  return { id: key || undefined, type: 'default', components: [] };
}

/**
 * Puts the server's field errors under the preview's fields: a top-level key names one form
 * field; paths into lists and groups (`items[0].name`) stay in the list below the form only.
 */
export function showServerErrors(form: PreviewForm, errors: readonly { field: string; message: string }[]): void {
  const registry = form.get<{ getAll(): { id: string; key?: string }[] }>('formFieldRegistry');
  const byKey = new Map(registry.getAll().filter((field) => field.key).map((field) => [field.key as string, field.id]));
  const next: Record<string, string[]> = {};
  for (const error of errors) {
    const id = byKey.get(error.field);
    if (id) next[id] = [...(next[id] ?? []), error.message];
  }
  form._setState({ errors: { ...form._getState().errors, ...next } });
}
