import { FIELD_RENDERERS } from '../fields/index.js';
import type { BaseField } from '../fields/schema.js';
import { translationModule } from '../i18n/module.js';
import { translateFinishedMessage, type Translate } from '../i18n/translate.js';
import { fieldErrors, OWN_REQUIRED_CHECK } from '../validation.js';
import type { FormJsModule } from '../form-js-module.js';

interface FormFields {
  register(type: string, renderer: unknown): void;
}

/** Registers our field renderers with the form's `formFields`. */
class ViewerFields {
  static $inject = ['formFields'];

  constructor(formFields: FormFields) {
    for (const renderer of FIELD_RENDERERS) formFields.register(renderer.config.type, renderer);
  }
}

interface FieldInstance { readonly id: string }
interface Validator {
  validateField(field: BaseField, value: unknown): string[];
  validateFieldInstance(instance: FieldInstance, value: unknown): string[];
}

const REQUIRED_MESSAGE = 'Field is required.';

/**
 * Adds our types' rules to form-js's `validator` and puts every message in the form's language.
 * form-js's Validator class is not exported, so its instance's two methods are wrapped rather
 * than the service replaced.
 */
class YiwangValidation {
  static $inject = ['validator', 'formFieldRegistry', 'yiwangTranslate'];

  constructor(validator: Validator, formFieldRegistry: { get(id: string): BaseField | undefined }, t: Translate) {
    const localise = (field: BaseField | undefined, builtIn: string[], value: unknown): string[] => {
      if (!field) return builtIn;
      // form-js calls `{}` and a list of rows filled; for these types our own rules say what is missing
      const kept = OWN_REQUIRED_CHECK.has(field.type) ? builtIn.filter((message) => message !== REQUIRED_MESSAGE) : builtIn;
      return [...kept.map((message) => translateFinishedMessage(message, t)), ...fieldErrors(field, value, t)];
    };
    const validateField = validator.validateField.bind(validator);
    const validateFieldInstance = validator.validateFieldInstance.bind(validator);
    validator.validateField = (field, value) => localise(field, validateField(field, value), value);
    validator.validateFieldInstance = (instance, value) =>
      localise(formFieldRegistry.get(instance.id), validateFieldInstance(instance, value), value);
  }
}

/**
 * For `new Form({ additionalModules: [yiwangFormFieldsViewerModule], yiwang: { dataSource, language } })`:
 * renders and validates our field types, zh-CN (or English) messages and texts.
 */
export const yiwangFormFieldsViewerModule: FormJsModule = {
  __depends__: [translationModule],
  __init__: ['yiwangViewerFields', 'yiwangValidation'],
  yiwangViewerFields: ['type', ViewerFields],
  yiwangValidation: ['type', YiwangValidation],
};
