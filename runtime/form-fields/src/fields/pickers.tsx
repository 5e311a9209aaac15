import type { DepartmentOption, UserOption } from '../data-source.js';
import type { Translate } from '../i18n/translate.js';
import { DepartmentIcon, UserIcon } from './icons.js';
import { OptionPicker, type PickerOption } from './option-picker.js';
import { FIELD_TYPES, selectionValue, type DepartmentField, type UserField } from './schema.js';
import { FieldFrame, isEditable, useOptions, useTranslate, type FieldConfig, type FieldProps } from './shared.js';

const PICKER_ENTRIES = ['key', 'label', 'description', 'required', 'disabled', 'readonly'];

/** The chosen ids of a picker field as a list, whatever the stored shape. */
const chosenIds = (value: unknown): string[] => {
  const ids = selectionValue({ multiple: true }, value);
  return Array.isArray(ids) ? ids : [];
};

const userOption = ({ id, displayName }: UserOption): PickerOption => ({ id, label: displayName, detail: id });
const departmentOption = ({ id, code, name }: DepartmentOption): PickerOption => ({ id, label: name, detail: code });

/** 人员: a user id, or a list of them with `multiple`. */
export function UserPicker(props: FieldProps<UserField>) {
  const { dataSource } = useOptions();
  const t = useTranslate();
  const search = (query: string) => (dataSource ? dataSource.searchUsers(query).then((users) => users.map(userOption)) : noSource(t));
  const resolve = async (id: string) => {
    if (!dataSource) return undefined;
    const users = await dataSource.searchUsers(id);
    const user = users.find((candidate) => candidate.id === id);
    return user && userOption(user);
  };
  return <PickerField {...props} search={search} resolve={resolve} />;
}
UserPicker.config = pickerConfig(FIELD_TYPES.user, 'User', UserIcon);

/** 部门: a department id, or a list of them with `multiple`; `tenantScope` names the tenant whose departments are offered. */
export function DepartmentPicker(props: FieldProps<DepartmentField>) {
  const { dataSource } = useOptions();
  const t = useTranslate();
  const tenant = props.field.tenantScope || undefined;
  const search = (query: string) =>
    (dataSource ? dataSource.searchDepartments(query, tenant).then((departments) => departments.map(departmentOption)) : noSource(t));
  const resolve = async (id: string) => {
    if (!dataSource) return undefined;
    const departments = await dataSource.searchDepartments('', tenant);
    const department = departments.find((candidate) => candidate.id === id);
    return department && departmentOption(department);
  };
  return <PickerField {...props} search={search} resolve={resolve} />;
}
DepartmentPicker.config = pickerConfig(FIELD_TYPES.department, 'Department', DepartmentIcon);

function PickerField(props: FieldProps<UserField | DepartmentField> & Pick<Parameters<typeof OptionPicker>[0], 'search' | 'resolve'>) {
  const { field, domId, value } = props;
  const t = useTranslate();
  return (
    <FieldFrame {...props}>
      <OptionPicker
        domId={domId}
        multiple={Boolean(field.multiple)}
        selected={chosenIds(value)}
        editable={isEditable(props)}
        t={t}
        search={props.search}
        resolve={props.resolve}
        onChange={(ids) => props.onChange({ value: selectionValue(field, ids) })}
        onBlur={props.onBlur}
      />
    </FieldFrame>
  );
}

function noSource(t: Translate): Promise<never> {
  return Promise.reject(new Error(t('No data source is configured for this form.')));
}

export function pickerConfig(type: string, name: string, icon: FieldConfig['icon']): FieldConfig {
  return {
    type,
    keyed: true,
    name,
    label: name,
    group: 'basic-input',
    emptyValue: null,
    propertiesPanelEntries: PICKER_ENTRIES,
    sanitizeValue: ({ formField, value }) => selectionValue(formField as UserField, value),
    create: (options = {}) => ({ ...options }),
    icon,
  };
}
