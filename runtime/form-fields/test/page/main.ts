import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import '../../src/styles.css';
import { Form } from '@bpmn-io/form-js-viewer';
import { FormEditor } from '@bpmn-io/form-js-editor';
import { yiwangFormFieldsEditorModule, yiwangFormFieldsViewerModule, type Language } from '../../src/index.js';
import { caseForm, dataSource, emptyForm } from './fixtures.js';

/**
 * The page the browser test drives: `?mode=viewer` (the case form) or `?mode=editor` (an empty
 * form to design), `&lang=en` for English. What it did is left on `window.testPage`.
 */
const params = new URLSearchParams(location.search);
const language = (params.get('lang') ?? 'zh-CN') as Language;
const container = document.getElementById('app')!;
const yiwang = { dataSource, language };

const testPage: {
  ready: boolean;
  submitted?: { data: Record<string, unknown>; errors: Record<string, unknown> };
  editor?: FormEditor;
  form?: Form;
  error?: string;
  chineseGlyphsRender(): { widths: boolean; glyphs: boolean };
} = { ready: false, chineseGlyphsRender };
Object.assign(window, { testPage });

async function start() {
  if (params.get('mode') === 'editor') {
    // an editor fills the height its app gives it; the palette scrolls inside
    container.style.height = '100vh';
    const editor = new FormEditor({ container, additionalModules: [yiwangFormFieldsEditorModule], yiwang } as never);
    await editor.importSchema(emptyForm);
    testPage.editor = editor;
  } else {
    const form = new Form({ container, additionalModules: [yiwangFormFieldsViewerModule], yiwang } as never);
    await form.importSchema(caseForm, {});
    form.on('submit', (event: { data: Record<string, unknown>; errors: Record<string, unknown> }) => { testPage.submitted = { data: event.data, errors: event.errors }; });
    testPage.form = form;
  }
  testPage.ready = true;
}
start().catch((error: unknown) => { testPage.error = String((error as Error)?.stack ?? error); });

/**
 * CJK characters have a width, and each is drawn unlike a private-use character (which no font
 * has, so it is drawn as the missing-glyph box) and unlike each other: no tofu.
 */
function chineseGlyphsRender(): { widths: boolean; glyphs: boolean } {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d')!;
  context.font = `48px ${getComputedStyle(document.body).fontFamily}`;
  const draw = (text: string) => {
    context.clearRect(0, 0, 64, 64);
    context.fillText(text, 4, 52);
    return context.getImageData(0, 0, 64, 64).data.join(',');
  };
  const missing = draw('\uE000');
  const characters = ['案', '件', '提', '交'];
  return {
    widths: characters.every((character) => context.measureText(character).width > 0),
    glyphs: characters.every((character) => draw(character) !== missing) && new Set(characters.map(draw)).size === characters.length,
  };
}
