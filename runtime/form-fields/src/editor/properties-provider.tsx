import { FIELD_TYPES, REGION_LEVEL_LABELS, REGION_LEVELS, type SubtableColumn, type SubtableField } from '../fields/schema.js';
import type { Translate } from '../i18n/translate.js';
import { ColumnsEntry } from './columns-entry.js';
import { CheckboxEntry, NumberEntry, SelectEntry, TextEntry, type EditField, type PanelEntry } from './entries.js';

type Field = { readonly id: string; readonly type: string; readonly [prop: string]: unknown };

interface Group {
  readonly id: string;
  readonly label: string;
  readonly entries?: readonly PanelEntry[];
}

/**
 * The "业务属性" group of the properties panel: the props of our field types (the common ones —
 * key, label, description, required, disabled, read-only — come from form-js's own groups through
 * each type's `propertiesPanelEntries`).
 */
export class YiwangPropertiesProvider {
  static $inject = ['propertiesPanel', 'yiwangTranslate'];

  constructor(propertiesPanel: { registerProvider(provider: YiwangPropertiesProvider, priority?: number): void }, private readonly t: Translate) {
    // below form-js's own provider (1000), so its groups are there to place ours after "General"
    propertiesPanel.registerProvider(this, 500);
  }

  getGroups(field: Field, editField: EditField): (groups: Group[]) => Group[] {
    return (groups) => {
      const entries = field ? this.entries(field, editField) : [];
      if (entries.length === 0) return groups;
      const ours: Group = { id: 'yiwang', label: this.t('Business properties'), entries };
      const general = groups.findIndex((group) => group.id === 'general');
      return [...groups.slice(0, general + 1), ours, ...groups.slice(general + 1)];
    };
  }

  private entries(field: Field, editField: EditField): PanelEntry[] {
    const { t } = this;
    const set = (prop: string) => (value: unknown) => editField(field, prop, value);
    const text = (prop: string) => (typeof field[prop] === 'string' ? (field[prop] as string) : undefined);
    const multiple = entry('multiple', CheckboxEntry, { label: t('Multiple'), value: Boolean(field.multiple), onCommit: (value: boolean) => set('multiple')(value || undefined) });
    switch (field.type) {
      case FIELD_TYPES.user:
        return [multiple];
      case FIELD_TYPES.department:
        return [multiple, entry('tenantScope', TextEntry, { label: t('Tenant (id; empty: the user’s own)'), value: text('tenantScope'), onCommit: set('tenantScope') })];
      case FIELD_TYPES.dictionary:
        return [entry('dictionary', TextEntry, { label: t('Dictionary code'), value: text('dictionary'), placeholder: 'case-category', onCommit: set('dictionary') }), multiple];
      case FIELD_TYPES.region:
        return [entry('depth', SelectEntry, {
          label: t('Finest level'),
          value: text('depth') ?? 'grid',
          options: REGION_LEVELS.map((level) => ({ value: level, label: t(REGION_LEVEL_LABELS[level]) })),
          onCommit: set('depth'),
        })];
      case FIELD_TYPES.location:
        return [entry('tileUrl', TextEntry, {
          label: t('Map tile URL (XYZ template)'),
          description: t('Empty: the platform’s default; no reachable map: manual entry.'),
          value: text('tileUrl'),
          placeholder: 'https://tiles.example/{z}/{x}/{y}.png',
          onCommit: set('tileUrl'),
        })];
      case FIELD_TYPES.subtable: {
        const subtable = field as unknown as SubtableField;
        return [
          entry('columns', ColumnsEntry, { columns: subtable.columns ?? [], t, onCommit: (columns: SubtableColumn[]) => editField(field, 'columns', columns) }),
          entry('minRows', NumberEntry, { label: t('Minimum rows'), min: 0, value: subtable.minRows, onCommit: set('minRows') }),
          entry('maxRows', NumberEntry, { label: t('Maximum rows'), min: 0, value: subtable.maxRows, onCommit: set('maxRows') }),
        ];
      }
      case FIELD_TYPES.serial:
        return [entry('rule', TextEntry, { label: t('Numbering rule'), description: t('Date parts such as {yyyyMMdd}, {field:key} for the value of another field of this form, and exactly one {seq:N}; e.g. AJ{yyyyMMdd}{seq:4} or {field:category}{yyyyMMdd}{seq:4}'), value: text('rule'), onCommit: set('rule') })];
      default:
        return [];
    }
  }
}

/** An entry of `component` with its props; "edited" (the panel's dot) when it holds a value. */
function entry<P extends { id: string }>(id: string, component: (props: P) => unknown, props: NoInfer<Omit<P, 'id'>>): PanelEntry {
  const { value, columns } = props as { value?: unknown; columns?: unknown };
  const shown = value ?? columns;
  return { id, component: component as PanelEntry['component'], isEdited: () => shown !== undefined && shown !== false, ...props };
}
