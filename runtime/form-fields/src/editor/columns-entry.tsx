import { COLUMN_TYPES, type ColumnType, type SubtableColumn } from '../fields/schema.js';
import type { Translate } from '../i18n/translate.js';
import { CheckboxEntry, NumberEntry, SelectEntry, TextEntry } from './entries.js';

const COLUMN_TYPE_LABELS: Readonly<Record<ColumnType, string>> = {
  textfield: 'Text field', number: 'Number', select: 'Select', datetime: 'Date time', checkbox: 'Checkbox (yes/no)',
};

export interface ColumnsEntryProps {
  readonly id: string;
  readonly columns: readonly SubtableColumn[];
  readonly t: Translate;
  onCommit(columns: SubtableColumn[]): void;
}

/**
 * The columns of a sub-table: one block per column (key, label, type, required, and the rules
 * and options its type has), a button to add one, one to remove each.
 */
export function ColumnsEntry({ id, columns, t, onCommit }: ColumnsEntryProps) {
  const replace = (index: number, column: SubtableColumn) => onCommit(columns.map((current, at) => (at === index ? column : current)));
  const add = () => onCommit([...columns, { key: freeKey(columns), label: t('Column {index}', { index: columns.length + 1 }), type: 'textfield' }]);
  const remove = (index: number) => onCommit(columns.filter((_, at) => at !== index));
  return (
    <div class="bio-properties-panel-entry yw-columns-entry" data-entry-id={id}>
      {columns.map((column, index) => (
        <fieldset class="yw-column" key={index} data-column-index={index}>
          <legend>
            {t('Column {index}', { index: index + 1 })}
            <button type="button" class="yw-column-remove" aria-label={t('Remove column')} title={t('Remove column')} onClick={() => remove(index)}>×</button>
          </legend>
          <ColumnEntries id={`${id}-${index}`} column={column} t={t} onCommit={(next) => replace(index, next)} />
        </fieldset>
      ))}
      <button type="button" class="yw-button yw-column-add" onClick={add}>+ {t('Add column')}</button>
    </div>
  );
}

function ColumnEntries({ id, column, t, onCommit }: { id: string; column: SubtableColumn; t: Translate; onCommit(column: SubtableColumn): void }) {
  const set = <K extends keyof SubtableColumn>(key: K, value: SubtableColumn[K] | undefined) => onCommit(withProp(column, key, value));
  const setRule = (key: 'min' | 'max' | 'minLength' | 'maxLength' | 'pattern', value: number | string | undefined) => {
    const validate = withProp(column.validate ?? {}, key, value);
    onCommit(withProp(column, 'validate', Object.keys(validate).length ? validate : undefined));
  };
  return (
    <>
      <TextEntry id={`${id}-key`} label={t('Key')} value={column.key} onCommit={(key) => key && set('key', key)} />
      <TextEntry id={`${id}-label`} label={t('Label')} value={column.label} onCommit={(label) => set('label', label ?? '')} />
      <SelectEntry
        id={`${id}-type`}
        label={t('Column type')}
        value={column.type}
        options={COLUMN_TYPES.map((type) => ({ value: type, label: t(COLUMN_TYPE_LABELS[type]) }))}
        onCommit={(type) => onCommit(retyped(column, type as ColumnType))}
      />
      <CheckboxEntry id={`${id}-required`} label={t('Required')} value={Boolean(column.required)} onCommit={(required) => set('required', required || undefined)} />
      {column.type === 'select' && (
        <TextEntry
          id={`${id}-values`}
          label={t('Options (one per line: value=label)')}
          multiline
          value={(column.values ?? []).map((option) => `${option.value}=${option.label}`).join('\n')}
          onCommit={(text) => set('values', parseOptions(text ?? ''))}
        />
      )}
      {column.type === 'number' && (
        <>
          <NumberEntry id={`${id}-min`} label={t('Minimum value')} value={column.validate?.min} onCommit={(min) => setRule('min', min)} />
          <NumberEntry id={`${id}-max`} label={t('Maximum value')} value={column.validate?.max} onCommit={(max) => setRule('max', max)} />
        </>
      )}
      {column.type === 'textfield' && (
        <>
          <NumberEntry id={`${id}-minLength`} label={t('Minimum length')} min={0} value={column.validate?.minLength} onCommit={(length) => setRule('minLength', length)} />
          <NumberEntry id={`${id}-maxLength`} label={t('Maximum length')} min={0} value={column.validate?.maxLength} onCommit={(length) => setRule('maxLength', length)} />
          <TextEntry id={`${id}-pattern`} label={t('Pattern')} value={column.validate?.pattern} onCommit={(pattern) => setRule('pattern', pattern)} />
        </>
      )}
    </>
  );
}

/** A column of another type keeps key, label and required; rules and options of the old type go. */
function retyped(column: SubtableColumn, type: ColumnType): SubtableColumn {
  return { key: column.key, label: column.label, type, ...(column.required && { required: true }) };
}

/** `value=label` lines; a line without `=` is both. */
export function parseOptions(text: string): { value: string; label: string }[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.indexOf('=');
    return at < 0 ? { value: line, label: line } : { value: line.slice(0, at).trim(), label: line.slice(at + 1).trim() };
  });
}

function freeKey(columns: readonly SubtableColumn[]): string {
  const taken = new Set(columns.map((column) => column.key));
  let number = columns.length + 1;
  while (taken.has(`column${number}`)) number++;
  return `column${number}`;
}

/** `object` with `key` set, or without it when `value` is undefined (so the schema holds no empty props). */
function withProp<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const copy = { ...object };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}
