import { useEffect, useState } from 'preact/hooks';
import type { DictionaryItem } from '../data-source.js';
import type { Language, Translate } from '../i18n/translate.js';

/** Reads the items below a parent code (the top level for undefined). */
export type LoadItems = (parent: string | undefined) => Promise<readonly DictionaryItem[]>;

export interface CascadeProps {
  readonly domId: string;
  /** the chosen code at each level, coarsest first */
  readonly path: readonly string[];
  /** a caption per level (regions: 区县, 街道 …); dictionaries have none */
  readonly levelLabels?: readonly string[];
  readonly maxLevels: number;
  readonly editable: boolean;
  readonly language: Language;
  readonly t: Translate;
  load: LoadItems;
  onChange(path: string[]): void;
  onBlur?(): void;
}

/**
 * One select per level: choosing at a level offers the next (when the item has children) and
 * clears the finer ones.
 */
export function Cascade(props: CascadeProps) {
  const { domId, path, levelLabels, maxLevels, editable, language, t } = props;
  const items = useItemsBelow([undefined, ...path].slice(0, maxLevels), props.load);
  const levels: { parent: string | undefined; chosen: string | undefined }[] = [];
  for (let level = 0; level < maxLevels; level++) {
    const parent = level === 0 ? undefined : path[level - 1];
    if (level > 0) {
      if (parent === undefined) break;
      const parentItem = items.get(path[level - 2])?.find((item) => item.code === parent);
      if (parentItem && !parentItem.hasChildren) break;
    }
    levels.push({ parent, chosen: path[level] });
  }
  const choose = (level: number, code: string) => props.onChange(code === '' ? path.slice(0, level) : [...path.slice(0, level), code]);

  return (
    <div class="yw-cascade">
      {levels.map(({ parent, chosen }, level) => {
        const options = items.get(parent);
        const id = level === 0 ? domId : `${domId}-${level}`;
        const caption = levelLabels?.[level];
        return (
          <div class="yw-cascade-level" key={level}>
            {caption && <label class="yw-cascade-caption" for={id}>{caption}</label>}
            <select
              id={id}
              class="fjs-select yw-select"
              disabled={!editable}
              value={chosen ?? ''}
              data-level={level}
              onChange={(event) => choose(level, event.currentTarget.value)}
              onBlur={props.onBlur}
            >
              <option value="">{options ? t('Please select') : t('Loading…')}</option>
              {chosen !== undefined && !options?.some((item) => item.code === chosen) && <option value={chosen}>{chosen}</option>}
              {options?.map((item) => <option key={item.code} value={item.code}>{itemLabel(item, language)}</option>)}
            </select>
          </div>
        );
      })}
    </div>
  );
}

export function itemLabel(item: DictionaryItem, language: Language): string {
  return language === 'en' && item.labelEn ? item.labelEn : item.label;
}

/** The items below each of `parents`, loaded once each; a failed load counts as no items. */
export function useItemsBelow(parents: readonly (string | undefined)[], load: LoadItems): ReadonlyMap<string | undefined, readonly DictionaryItem[]> {
  const [items, setItems] = useState<ReadonlyMap<string | undefined, readonly DictionaryItem[]>>(new Map());
  useEffect(() => {
    for (const parent of parents) {
      if (items.has(parent)) continue;
      load(parent).then(
        (found) => setItems((current) => new Map(current).set(parent, found)),
        () => setItems((current) => new Map(current).set(parent, [])),
      );
    }
  }, [parents.join('\n')]);
  return items;
}

/**
 * The codes from the top level down to `code`, read level by level (dictionaries are small;
 * `maxReads` bounds the work for one that is not). Undefined when the code is not found.
 */
export async function pathTo(code: string, load: LoadItems, maxReads = 50): Promise<string[] | undefined> {
  const queue: { parent: string | undefined; path: string[] }[] = [{ parent: undefined, path: [] }];
  for (let reads = 0; queue.length > 0 && reads < maxReads; reads++) {
    const { parent, path } = queue.shift()!;
    for (const item of await load(parent)) {
      if (item.code === code) return [...path, item.code];
      if (item.hasChildren) queue.push({ parent: item.code, path: [...path, item.code] });
    }
  }
  return undefined;
}
