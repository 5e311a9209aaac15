import { h, type FunctionComponent } from 'preact';
import { FIELD_RENDERERS } from '../fields/index.js';
import type { FieldConfig, FieldRenderer } from '../fields/shared.js';
import { translationModule } from '../i18n/module.js';
import type { Translate } from '../i18n/translate.js';
import { PaletteGroup } from './palette-group.js';
import { YiwangPropertiesProvider } from './properties-provider.js';
import type { FormJsModule } from '../form-js-module.js';

interface FormFields {
  readonly _formFields: Record<string, FieldRenderer>;
  register(type: string, renderer: unknown): void;
}

/**
 * Registers our field types with the editor (its canvas renders them as the form will, disabled)
 * and gives every type, form-js's built-in ones too, a palette name and default label in the
 * editor's language: form-js takes both from the type's `config`, which it writes in English.
 */
class EditorFields {
  static $inject = ['formFields', 'yiwangTranslate'];

  constructor(formFields: FormFields, t: Translate) {
    // the built-in types: the registry offers no list of them but its own, which the palette reads too
    for (const [type, renderer] of Object.entries(formFields._formFields)) {
      if (type !== 'default') formFields.register(type, inLanguage(renderer, t));
    }
    for (const renderer of FIELD_RENDERERS) formFields.register(renderer.config.type, inLanguage(renderer, t));
  }
}

/** The same renderer under a config whose name, default label and default sub-table columns are translated. */
function inLanguage(renderer: FieldRenderer, t: Translate): FieldRenderer {
  const { config } = renderer;
  const name = config.name ?? config.label;
  // built-in types write their default label in `create`, not in `label`; FieldFactory passes `label` to `create`
  const defaultLabel = config.label ?? config.create?.({}).label;
  const translated: FieldConfig = {
    ...config,
    ...(name && { name: componentName(name, t) }),
    ...(typeof defaultLabel === 'string' && { label: componentName(defaultLabel, t) }),
    create: (options = {}) => {
      const created = config.create(options);
      const columns = created.columns as { label: string }[] | undefined;
      return options.columns === undefined && columns ? { ...created, columns: columns.map((column) => ({ ...column, label: t(column.label) })) } : created;
    },
  };
  const Translated = ((props: never) => h(renderer as unknown as FunctionComponent, props)) as unknown as FieldRenderer;
  Translated.config = translated;
  return Translated;
}

/**
 * A type's name: `"<name> (component)"` where the plain word means something else elsewhere
 * ("Select" is a dropdown in the palette, "please select" in a form), else the name itself.
 */
function componentName(name: string, t: Translate): string {
  const inContext = `${name} (component)`;
  const translated = t(inContext);
  return translated === inContext ? t(name) : translated;
}

interface RenderInjector {
  attachRenderer(identifier: string, renderer: (props: { useService: <T>(name: string) => T; components: { Fill: FunctionComponent<{ slot: string }> } }) => unknown): void;
}

/** Puts the "业务组件" palette group into the palette's footer slot. */
class PaletteGroupInjection {
  static $inject = ['renderInjector'];

  constructor(renderInjector: RenderInjector) {
    renderInjector.attachRenderer('yiwang-palette-group', ({ useService, components: { Fill } }) =>
      h(Fill, { slot: 'editor-palette__footer' }, h(PaletteGroup, { useService, renderers: FIELD_RENDERERS })));
  }
}

/**
 * For `new FormEditor({ additionalModules: [yiwangFormFieldsEditorModule], yiwang: { language } })`:
 * our types in a "业务组件" palette group, their props in the properties panel, previews on the
 * canvas, and the editor in zh-CN (or English).
 */
export const yiwangFormFieldsEditorModule: FormJsModule = {
  __depends__: [translationModule],
  __init__: ['yiwangEditorFields', 'yiwangPropertiesProvider', 'yiwangPaletteGroup'],
  yiwangEditorFields: ['type', EditorFields],
  yiwangPropertiesProvider: ['type', YiwangPropertiesProvider],
  yiwangPaletteGroup: ['type', PaletteGroupInjection],
};
