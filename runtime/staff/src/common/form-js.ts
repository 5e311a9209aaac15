/**
 * The form-js viewer with our fields (@yiwang/form-fields), in the app's language. Loaded only by
 * the task and start pages (StepForm.vue imports this module lazily).
 */
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@yiwang/form-fields/style.css';
import { Form } from '@bpmn-io/form-js-viewer';
import { createFetchDataSource, yiwangFormFieldsViewerModule, type Language } from '@yiwang/form-fields';
import { readTokens } from '@yiwang/web-kit/api';

export type FormSchema = Record<string, unknown>;

export interface ViewerForm {
  importSchema(schema: FormSchema, data?: Record<string, unknown>): Promise<unknown>;
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown>; files: Map<string, File[]> };
  get<T>(service: string): T;
  _getState(): { errors: Record<string, unknown>; data: Record<string, unknown> };
  _setState(state: { errors: Record<string, unknown> }): void;
  on(event: string, handler: (event: unknown) => void): void;
  destroy(): void;
}

export function createViewer(container: HTMLElement, language: Language): ViewerForm {
  const dataSource = createFetchDataSource('/', () => readTokens()?.accessToken ?? '', { language });
  return new Form({ container, additionalModules: [yiwangFormFieldsViewerModule], yiwang: { dataSource, language } } as never) as unknown as ViewerForm;
}

/** The form field ids by their top-level key, for putting the server's problems under their fields. */
export function fieldIdsByKey(form: ViewerForm): Map<string, string> {
  const registry = form.get<{ getAll(): { id: string; key?: string; path?: string }[] }>('formFieldRegistry');
  const ids = new Map<string, string>();
  for (const field of registry.getAll()) {
    const key = field.key ?? field.path;
    if (key) ids.set(key, field.id);
  }
  return ids;
}
