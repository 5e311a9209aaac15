import { ZH_CN } from './zh-cn.js';

export type Language = 'zh-CN' | 'en';

/**
 * bpmn.io's translate signature: the English text is the key, `{name}` placeholders are filled
 * from `replacements`. English is the identity; zh-CN looks the template up in `ZH_CN`.
 */
export type Translate = (template: string, replacements?: Readonly<Record<string, string | number>>) => string;

export function createTranslate(language: Language = 'zh-CN'): Translate {
  const table: Readonly<Record<string, string>> = language === 'en' ? {} : ZH_CN;
  return (template, replacements = {}) => fill(table[template] ?? template, replacements);
}

function fill(text: string, replacements: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{([^}]+)\}/g, (placeholder, name: string) => (name in replacements ? String(replacements[name]) : placeholder));
}

/** A template with placeholders, matched against finished English messages to recover their values. */
interface MessagePattern {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const patterns: readonly MessagePattern[] = Object.keys(ZH_CN)
  .filter((template) => template.includes('{'))
  .map((template) => {
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(name);
        return '(.+?)';
      })
      .join('');
    return { template, pattern: new RegExp(`^${source}$`), names };
  });

/**
 * Translates a message form-js has already finished in English (its validator builds them with the
 * values filled in, e.g. "Field must have minimum value of 3."): the template it came from is found
 * by pattern and translated with the same values. Unknown messages stay as they are.
 */
export function translateFinishedMessage(message: string, translate: Translate): string {
  if (message in ZH_CN) return translate(message);
  for (const { template, pattern, names } of patterns) {
    const values = pattern.exec(message);
    if (values) return translate(template, Object.fromEntries(names.map((name, index) => [name, values[index + 1] ?? ''])));
  }
  return message;
}
