/** Languages of validation messages: zh-CN (the default) says it in Chinese with the English in parentheses. */
export type FormLanguage = 'zh-CN' | 'en';

/** One failing field of a submission. */
export interface FieldError {
  /** the value's path: `address.street`, rows of lists as `items[3].name` */
  readonly field: string;
  /** the field's label as the form shows it, or null */
  readonly label: string | null;
  /** what failed: required, minLength, maxLength, pattern, email, phone, min, max, decimalDigits, increment, enum, format, type, minItems, maxItems, unknown, hidden, readonly, invalid, serialPart (a value a serial number's `{field:key}` cannot take) */
  readonly rule: string;
  readonly message: string;
}

/** What a message may mention besides the field's name. */
export interface MessageParams {
  readonly limit?: number | string;
  readonly format?: string;
  readonly type?: string;
}

type Template = (name: string, params: MessageParams) => string;

/** Texts per rule: [zh-CN, en]. `name` is the field's label in 「」 (or its path when it has none). */
const MESSAGES: Readonly<Record<string, readonly [Template, Template]>> = {
  required: [(name) => `${name}为必填项`, (name) => `${name} is required`],
  minLength: [(name, p) => `${name}至少需要 ${p.limit} 个字符`, (name, p) => `${name} must have at least ${p.limit} characters`],
  maxLength: [(name, p) => `${name}最多 ${p.limit} 个字符`, (name, p) => `${name} must have at most ${p.limit} characters`],
  pattern: [(name, p) => `${name}的格式不正确（应匹配 ${p.limit}）`, (name, p) => `${name} must match the pattern ${p.limit}`],
  email: [(name) => `${name}不是有效的电子邮箱地址`, (name) => `${name} must be a valid email address`],
  phone: [(name) => `${name}不是有效的国际电话号码（如 +8613812345678）`, (name) => `${name} must be a valid international phone number (e.g. +4930664040900)`],
  min: [(name, p) => `${name}不能小于 ${p.limit}`, (name, p) => `${name} must be at least ${p.limit}`],
  max: [(name, p) => `${name}不能大于 ${p.limit}`, (name, p) => `${name} must be at most ${p.limit}`],
  decimalDigits: [
    (name, p) => (p.limit === 0 ? `${name}必须是整数` : `${name}最多 ${p.limit} 位小数`),
    (name, p) => (p.limit === 0 ? `${name} must be an integer` : `${name} must have at most ${p.limit} decimal digits`),
  ],
  increment: [(name, p) => `${name}必须是 ${p.limit} 的整数倍`, (name, p) => `${name} must be a multiple of ${p.limit}`],
  enum: [(name) => `${name}不是可选的值`, (name) => `${name} must be one of the options`],
  format: [(name, p) => `${name}不是有效的${FORMAT_NAMES[p.format ?? '']?.[0] ?? '格式'}`, (name, p) => `${name} must be a valid ${FORMAT_NAMES[p.format ?? '']?.[1] ?? 'value'}`],
  type: [(name, p) => `${name}应为${TYPE_NAMES[p.type ?? '']?.[0] ?? p.type}`, (name, p) => `${name} must be ${TYPE_NAMES[p.type ?? '']?.[1] ?? p.type}`],
  minItems: [(name, p) => `${name}至少需要 ${p.limit} 项`, (name, p) => `${name} needs at least ${p.limit} entries`],
  maxItems: [(name, p) => `${name}最多 ${p.limit} 项`, (name, p) => `${name} takes at most ${p.limit} entries`],
  uniqueItems: [(name) => `${name}有重复的项`, (name) => `${name} has duplicate entries`],
  unknown: [(name) => `表单中没有字段${name}`, (name) => `${name} is not a field of this form`],
  hidden: [(name) => `${name}在此任务中不可见，不能提交`, (name) => `${name} is hidden in this task and cannot be submitted`],
  readonly: [(name) => `${name}在此任务中只读，不能修改`, (name) => `${name} is read-only in this task and cannot be changed`],
  invalid: [(name) => `${name}的值无效`, (name) => `${name} is invalid`],
  serialPart: [
    (name, p) => `${name}是流水号的一部分，须填写且只能含字母、数字、_ 或 -（${p.limit}）`,
    (name, p) => `${name} is part of a serial number: it must be given and match ${p.limit}`,
  ],
};

const FORMAT_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  date: ['日期（YYYY-MM-DD）', 'date (YYYY-MM-DD)'],
  time: ['时间（HH:mm）', 'time (HH:mm)'],
  'date-time': ['日期时间（YYYY-MM-DDTHH:mm）', 'date and time (YYYY-MM-DDTHH:mm)'],
};

const TYPE_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  string: ['文本', 'a text'],
  number: ['数字', 'a number'],
  integer: ['整数', 'an integer'],
  boolean: ['是或否', 'true or false'],
  array: ['列表', 'a list'],
  object: ['对象', 'an object'],
};

/** 「label」 with the field's label, or its path when it has none. */
export function fieldMessage(rule: string, label: string | null, field: string, params: MessageParams, language: FormLanguage): string {
  const [zh, en] = MESSAGES[rule] ?? MESSAGES.invalid;
  const name = `「${label ?? field}」`;
  if (language === 'en') return en(label ?? field, params);
  return `${zh(name, params)} (${en(label ?? field, params)})`;
}

export function fieldError(rule: string, label: string | null, field: string, language: FormLanguage, params: MessageParams = {}): FieldError {
  return { field, label, rule, message: fieldMessage(rule, label, field, params, language) };
}
