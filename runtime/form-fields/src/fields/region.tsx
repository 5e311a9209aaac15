import { Cascade, type LoadItems } from './cascade.js';
import { RegionIcon } from './icons.js';
import { FIELD_TYPES, REGION_LEVEL_LABELS, REGION_LEVELS, regionLevels, type RegionField, type RegionValue } from './schema.js';
import { FieldFrame, isEditable, useOptions, useTranslate, type FieldConfig, type FieldProps } from './shared.js';

/** 行政区划: `{ district, street, community, grid }` codes, down to the field's `depth`. */
export function RegionPicker(props: FieldProps<RegionField, RegionValue>) {
  const { field, value, domId } = props;
  const { dataSource, language = 'zh-CN' } = useOptions();
  const t = useTranslate();
  const levels = regionLevels(field);
  const path = pathOf(value ?? {}, levels);
  const load: LoadItems = (parent) => (dataSource ? dataSource.regionChildren(parent) : Promise.resolve([]));
  const onChange = (next: string[]) => props.onChange({ value: next.length ? Object.fromEntries(next.map((code, index) => [levels[index], code])) : null });
  return (
    <FieldFrame {...props}>
      <Cascade
        domId={domId}
        path={path}
        levelLabels={levels.map((level) => t(REGION_LEVEL_LABELS[level]))}
        maxLevels={levels.length}
        editable={isEditable(props)}
        language={language}
        t={t}
        load={load}
        onChange={onChange}
        onBlur={props.onBlur}
      />
    </FieldFrame>
  );
}

/** the chosen codes coarsest first, up to the first level not chosen */
function pathOf(value: RegionValue, levels: readonly (keyof RegionValue)[]): string[] {
  const path: string[] = [];
  for (const level of levels) {
    const code = value[level];
    if (!code) break;
    path.push(code);
  }
  return path;
}

RegionPicker.config = {
  type: FIELD_TYPES.region,
  keyed: true,
  name: 'Region',
  label: 'Region',
  group: 'basic-input',
  emptyValue: null,
  propertiesPanelEntries: ['key', 'label', 'description', 'required', 'disabled', 'readonly'],
  sanitizeValue: ({ value }) => {
    if (typeof value !== 'object' || value === null) return null;
    const codes = REGION_LEVELS.flatMap((level) => {
      const code = (value as RegionValue)[level];
      return typeof code === 'string' && code !== '' ? [[level, code]] : [];
    });
    return codes.length ? Object.fromEntries(codes) : null;
  },
  create: (options = {}) => ({ depth: 'grid', ...options }),
  icon: RegionIcon,
} satisfies FieldConfig;
