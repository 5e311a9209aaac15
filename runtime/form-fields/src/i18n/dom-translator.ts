import type { Translate } from './translate.js';

const TRANSLATED_ATTRIBUTES = ['placeholder', 'title', 'aria-label'] as const;
/** what people type: FEEL and template editors */
const EDITABLE = '.cm-editor, [contenteditable="true"]';

/**
 * Translates form-js's own fixed English texts where they are rendered. form-js 1.x has no
 * translation hook for them (bpmn-io/form-js#77: palette, properties panel, "Search", "Browse" …),
 * so this watches the container and replaces each text node or attribute whose whole text is a
 * known English text. Preact leaves the replaced text alone: it rewrites a text node or attribute
 * only when the value it renders changes, and then the observer translates the new value.
 * Texts from the form schema (labels written by administrators) are not in the table and stay.
 * Returns the function that stops watching.
 */
export function translateFixedTexts(container: HTMLElement, translate: Translate): () => void {
  const translateText = (text: Text) => {
    const english = text.data.trim();
    if (english === '' || text.parentElement?.closest(EDITABLE)) return;
    const translated = translate(english);
    if (translated !== english) text.data = text.data.replace(english, translated);
  };
  const translateAttributes = (element: Element) => {
    for (const name of TRANSLATED_ATTRIBUTES) {
      const english = element.getAttribute(name);
      if (english === null) continue;
      const translated = translate(english);
      if (translated !== english) element.setAttribute(name, translated);
    }
  };
  const translateTree = (node: Node) => {
    if (node instanceof Text) return translateText(node);
    if (!(node instanceof Element)) return;
    translateAttributes(node);
    const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let current = walker.nextNode(); current; current = walker.nextNode()) {
      if (current instanceof Text) translateText(current);
      else if (current instanceof Element) translateAttributes(current);
    }
  };
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'childList') mutation.addedNodes.forEach(translateTree);
      else if (mutation.type === 'characterData' && mutation.target instanceof Text) translateText(mutation.target);
      else if (mutation.type === 'attributes' && mutation.target instanceof Element) translateAttributes(mutation.target);
    }
  });
  translateTree(container);
  observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...TRANSLATED_ATTRIBUTES] });
  return () => observer.disconnect();
}
