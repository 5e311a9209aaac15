import { SerialIcon } from './icons.js';
import { FIELD_TYPES, type SerialField } from './schema.js';
import { FieldFrame, useTranslate, type FieldConfig, type FieldProps } from './shared.js';

/**
 * 流水号: the number the server gives the submission by the field's `rule` (e.g. `AJ{yyyyMMdd}{seq:4}`).
 * Nobody types it: until it exists the field says it is generated on saving.
 */
export function SerialNumber(props: FieldProps<SerialField, string>) {
  const { value, domId } = props;
  const t = useTranslate();
  const generated = typeof value === 'string' && value !== '';
  return (
    <FieldFrame {...props} readonly>
      <output id={domId} class={generated ? 'fjs-input yw-serial' : 'fjs-input yw-serial yw-pending'} aria-readonly="true">
        {generated ? value : t('Generated when saved')}
      </output>
    </FieldFrame>
  );
}

SerialNumber.config = {
  type: FIELD_TYPES.serial,
  keyed: true,
  name: 'Serial number',
  label: 'Serial number',
  group: 'basic-input',
  // undefined, not null: a submission without a number leaves the key out (the server ignores it anyway)
  emptyValue: undefined,
  propertiesPanelEntries: ['key', 'label', 'description'],
  sanitizeValue: ({ value }) => (typeof value === 'string' && value !== '' ? value : undefined),
  create: (options = {}) => ({ rule: 'AJ{yyyyMMdd}{seq:4}', ...options }),
  icon: SerialIcon,
} satisfies FieldConfig;
