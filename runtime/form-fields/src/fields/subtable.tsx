import { useState } from 'preact/hooks';
import type { Translate } from '../i18n/translate.js';
import { cellErrors } from '../validation.js';
import { SubtableIcon } from './icons.js';
import { FIELD_TYPES, type SubtableColumn, type SubtableField, type SubtableRow } from './schema.js';
import { FieldFrame, isEditable, useTranslate, type FieldConfig, type FieldProps } from './shared.js';

/**
 * 明细表: an array of row objects, one property per column. A table on wide screens; below
 * 768 px each row is a card (styles.css), because a phone cannot show five columns side by side.
 * A cell's problems show under it once it was left or the form was validated.
 */
export function Subtable(props: FieldProps<SubtableField, SubtableRow[]>) {
  const { field, value, domId, errors = [] } = props;
  const t = useTranslate();
  const columns = field.columns ?? [];
  const rows = Array.isArray(value) ? value : [];
  const editable = isEditable(props);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const validated = errors.length > 0;
  const canAdd = editable && (field.maxRows === undefined || rows.length < field.maxRows);

  const change = (next: SubtableRow[]) => props.onChange({ value: next });
  const setCell = (index: number, column: SubtableColumn, cell: unknown) =>
    change(rows.map((row, at) => (at === index ? withCell(row, column.key, cell) : row)));
  const addRow = () => change([...rows, emptyRow(columns)]);
  const removeRow = (index: number) => {
    setTouched(new Set());
    change(rows.filter((_, at) => at !== index));
  };
  const leave = (index: number, column: SubtableColumn) => {
    setTouched((current) => new Set(current).add(`${index}:${column.key}`));
    props.onBlur?.();
  };

  return (
    <FieldFrame {...props}>
      <div class="yw-subtable" id={domId}>
        <table>
          <thead>
            <tr>
              <th class="yw-row-number">#</th>
              {columns.map((column) => (
                <th key={column.key}>{column.label || column.key}{column.required && <span class="fjs-asterix">*</span>}</th>
              ))}
              {editable && <th class="yw-row-actions">{t('Actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index} data-row={index}>
                <td class="yw-row-number">
                  <span class="yw-row-index">{index + 1}</span>
                  <span class="yw-row-title">{t('Row {row}', { row: index + 1 })}</span>
                </td>
                {columns.map((column) => {
                  const problems = validated || touched.has(`${index}:${column.key}`) ? cellErrors(column, row[column.key], t) : [];
                  return (
                    <td key={column.key} data-label={column.label || column.key} data-column={column.key} class={problems.length ? 'yw-cell-invalid' : undefined}>
                      <Cell
                        id={`${domId}-${index}-${column.key}`}
                        column={column}
                        value={row[column.key]}
                        disabled={!editable}
                        t={t}
                        onChange={(cell) => setCell(index, column, cell)}
                        onBlur={() => leave(index, column)}
                      />
                      {problems.map((problem) => <div class="yw-cell-error" key={problem}>{problem}</div>)}
                    </td>
                  );
                })}
                {editable && (
                  <td class="yw-row-actions">
                    <button type="button" class="yw-button yw-remove-row" onClick={() => removeRow(index)} aria-label={t('Remove row {row}', { row: index + 1 })}>
                      ×
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <div class="yw-note">{t('No rows yet.')}</div>}
        {editable && (
          <button type="button" id={`${domId}-add`} class="yw-button yw-add-row" disabled={!canAdd} onClick={addRow}>
            + {t('Add row')}
          </button>
        )}
      </div>
    </FieldFrame>
  );
}

interface CellProps {
  readonly id: string;
  readonly column: SubtableColumn;
  readonly value: unknown;
  readonly disabled: boolean;
  readonly t: Translate;
  onChange(value: unknown): void;
  onBlur(): void;
}

function Cell({ id, column, value, disabled, t, onChange, onBlur }: CellProps) {
  const common = { id, disabled, onBlur, 'aria-label': column.label || column.key };
  switch (column.type) {
    case 'number':
      return (
        <input {...common} class="fjs-input" type="number" step="any" inputMode="decimal" value={typeof value === 'number' ? String(value) : ''}
          onInput={(event) => onChange(event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value))} />
      );
    case 'select':
      return (
        <select {...common} class="fjs-select" value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value || undefined)}>
          <option value="">{t('Please select')}</option>
          {(column.values ?? []).map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      );
    case 'datetime':
      return (
        <input {...common} class="fjs-input" type="datetime-local" value={typeof value === 'string' ? value : ''}
          onInput={(event) => onChange(event.currentTarget.value || undefined)} />
      );
    case 'checkbox':
      return <input {...common} class="fjs-input" type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
    default:
      return (
        <input {...common} class="fjs-input" type="text" value={typeof value === 'string' ? value : ''}
          onInput={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)} />
      );
  }
}

/** A new row: check boxes start unchecked (false), other cells absent until filled. */
function emptyRow(columns: readonly SubtableColumn[]): SubtableRow {
  return Object.fromEntries(columns.filter((column) => column.type === 'checkbox').map((column) => [column.key, false]));
}

function withCell(row: SubtableRow, key: string, cell: unknown): SubtableRow {
  const { [key]: _previous, ...rest } = row;
  return cell === undefined ? rest : { ...rest, [key]: cell };
}

Subtable.config = {
  type: FIELD_TYPES.subtable,
  keyed: true,
  name: 'Sub-table',
  label: 'Sub-table',
  group: 'basic-input',
  emptyValue: [],
  propertiesPanelEntries: ['key', 'label', 'description', 'required', 'disabled', 'readonly'],
  sanitizeValue: ({ value }) => (Array.isArray(value) ? value.filter((row) => typeof row === 'object' && row !== null && !Array.isArray(row)) : []),
  create: (options = {}) => ({
    columns: [{ key: 'item', label: 'Item', type: 'textfield', required: true }],
    ...options,
  }),
  icon: SubtableIcon,
} satisfies FieldConfig;
