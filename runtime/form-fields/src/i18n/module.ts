import type { YiwangFormOptions } from '../fields/shared.js';
import { translateFixedTexts } from './dom-translator.js';
import { createTranslate, type Translate } from './translate.js';
import type { FormJsModule } from '../form-js-module.js';

interface EventBus {
  on(event: string, callback: () => void): void;
}

/** `yiwangTranslate`: the form's translate function, in the language of `yiwang.language`. */
function translateFactory(options: YiwangFormOptions | undefined): Translate {
  return createTranslate(options?.language);
}
translateFactory.$inject = ['config.yiwang'];

/**
 * Translates form-js's fixed English texts inside the form's container (and, in the editor, the
 * properties panel's, which may live elsewhere) while the language is zh-CN.
 */
class FixedTextTranslation {
  static $inject = ['config.yiwang', 'config.renderer', 'eventBus', 'yiwangTranslate', 'injector'];

  constructor(options: YiwangFormOptions | undefined, renderer: { container: HTMLElement }, eventBus: EventBus, translate: Translate, injector: { get(name: string, strict: boolean): unknown }) {
    if ((options?.language ?? 'zh-CN') === 'en') return;
    const stops = [translateFixedTexts(renderer.container, translate)];
    // the editor's properties panel renders into its own element (form-js-editor PropertiesPanelRenderer)
    const panel = (injector.get('propertiesPanel', false) as { _container?: HTMLElement } | undefined)?._container;
    if (panel) stops.push(translateFixedTexts(panel, translate));
    eventBus.on('form.destroy', () => stops.forEach((stop) => stop()));
  }
}

export const translationModule: FormJsModule = {
  __init__: ['yiwangFixedTexts'],
  yiwangTranslate: ['factory', translateFactory],
  yiwangFixedTexts: ['type', FixedTextTranslation],
};
