import { useEffect, useState } from 'preact/hooks';
import { Cascade, itemLabel, pathTo, useItemsBelow, type LoadItems } from './cascade.js';
import { DictionaryIcon } from './icons.js';
import { pickerConfig } from './pickers.js';
import { FIELD_TYPES, selectionValue, type DictionaryField } from './schema.js';
import { FieldFrame, isEditable, useOptions, useTranslate, type FieldProps } from './shared.js';

/**
 * 字典选择: an item code of dictionary `dictionary`. One code is chosen level by level down a
 * hierarchical dictionary; `multiple` offers the top level as check boxes and stores their codes.
 */
export function DictionarySelect(props: FieldProps<DictionaryField>) {
  const { field } = props;
  const { dataSource, language = 'zh-CN' } = useOptions();
  const dictionary = field.dictionary ?? '';
  const load: LoadItems = (parent) => (dataSource && dictionary ? dataSource.dictionaryItems(dictionary, parent) : Promise.resolve([]));
  return (
    <FieldFrame {...props}>
      {field.multiple
        ? <DictionaryChecklist {...props} load={load} language={language} />
        : <DictionaryCascade {...props} load={load} language={language} />}
    </FieldFrame>
  );
}
DictionarySelect.config = pickerConfig(FIELD_TYPES.dictionary, 'Dictionary', DictionaryIcon);

type DictionaryProps = FieldProps<DictionaryField> & { load: LoadItems; language: 'zh-CN' | 'en' };

function DictionaryCascade(props: DictionaryProps) {
  const { field, value, domId, load, language } = props;
  const t = useTranslate();
  const chosen = typeof value === 'string' && value !== '' ? value : undefined;
  const [path, setPath] = useState<string[]>(chosen ? [chosen] : []);
  // a value the form opened with is only a code: find the levels above it once
  useEffect(() => {
    if (chosen === undefined) { setPath([]); return; }
    if (path[path.length - 1] === chosen) return;
    pathTo(chosen, load).then((found) => setPath(found ?? [chosen]), () => setPath([chosen]));
  }, [chosen, field.dictionary]);
  return (
    <Cascade
      domId={domId}
      path={path}
      maxLevels={Number.POSITIVE_INFINITY}
      editable={isEditable(props)}
      language={language}
      t={t}
      load={load}
      onChange={(next) => { setPath(next); props.onChange({ value: next[next.length - 1] ?? null }); }}
      onBlur={props.onBlur}
    />
  );
}

function DictionaryChecklist(props: DictionaryProps) {
  const { field, value, domId, load, language } = props;
  const items = useItemsBelow([undefined], load).get(undefined);
  const chosen = selectionValue({ multiple: true }, value) as string[];
  const toggle = (code: string, checked: boolean) =>
    props.onChange({ value: checked ? [...chosen.filter((item) => item !== code), code] : chosen.filter((item) => item !== code) });
  const t = useTranslate();
  if (!items) return <div class="yw-note">{t('Loading…')}</div>;
  return (
    <div class="yw-checklist" id={domId} data-dictionary={field.dictionary}>
      {items.map((item) => (
        <label class="fjs-inline-label yw-check" key={item.code}>
          <input
            type="checkbox"
            class="fjs-input"
            disabled={!isEditable(props)}
            checked={chosen.includes(item.code)}
            value={item.code}
            onChange={(event) => toggle(item.code, event.currentTarget.checked)}
            onBlur={props.onBlur}
          />
          {itemLabel(item, language)}
        </label>
      ))}
    </div>
  );
}
