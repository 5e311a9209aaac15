import type { ReceivedField } from '../files/index.js';
import type { FormLanguage } from '../forms/index.js';
import { fieldError, type FieldError, type MessageParams } from '../forms/messages.js';
import type { CategoryNode, PhotoPolicy } from './channel.js';
import { characters, cleanText, say } from './text.js';

/** The parts of a report's multipart body, each as the portal sends it. */
export const REPORT_FIELDS = ['tenant', 'category', 'description', 'address', 'latitude', 'longitude', 'phone', 'captchaToken'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number] | 'photos';

export const DESCRIPTION_LENGTH = { min: 5, max: 1000 } as const;
export const ADDRESS_MAX_LENGTH = 200;
/** A mainland mobile number. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
const NUMBER_PATTERN = /^-?\d{1,3}(\.\d{1,15})?$/;

/** Field names as the messages say them. */
const LABELS: Readonly<Record<ReportField, readonly [string, string]>> = {
  tenant: ['地区', 'tenant'],
  category: ['问题类别', 'category'],
  description: ['问题描述', 'description'],
  address: ['地址', 'address'],
  latitude: ['纬度', 'latitude'],
  longitude: ['经度', 'longitude'],
  phone: ['手机号码', 'phone'],
  captchaToken: ['人机验证', 'captchaToken'],
  photos: ['照片', 'photos'],
};

export function labelOf(field: ReportField, language: FormLanguage): string {
  return LABELS[field][language === 'en' ? 1 : 0];
}

/** A refused field, named and labelled in the caller's language. */
export function refused(rule: string, field: ReportField, language: FormLanguage, params: MessageParams = {}): FieldError {
  return fieldError(rule, labelOf(field, language), field, language, params);
}

/** A report's text fields taken apart: the first of each name, and the fields that do not belong. */
export interface ReportParts {
  readonly fields: Partial<Record<(typeof REPORT_FIELDS)[number], string>>;
  readonly errors: readonly FieldError[];
}

export function reportParts(parts: readonly ReceivedField[], language: FormLanguage): ReportParts {
  const fields: Partial<Record<(typeof REPORT_FIELDS)[number], string>> = {};
  const errors: FieldError[] = [];
  for (const { name, value } of parts) {
    if ((REPORT_FIELDS as readonly string[]).includes(name)) fields[name as (typeof REPORT_FIELDS)[number]] ??= value;
    else errors.push(misplacedPart(name, false, language));
  }
  return { fields, errors };
}

/** A part where a report has none of its kind: photos sent as text, a text field sent as a file, a name a report does not have. */
export function misplacedPart(name: string, isFile: boolean, language: FormLanguage): FieldError {
  if (name === 'photos') return { field: 'photos', label: labelOf('photos', language), rule: 'type', message: say(language, '「照片」应为文件', 'photos must be files') };
  if (isFile && (REPORT_FIELDS as readonly string[]).includes(name)) return refused('type', name as ReportField, language, { type: 'string' });
  return { field: name, label: null, rule: 'unknown', message: say(language, `上报中没有字段「${name}」`, `'${name}' is not a field of a report`) };
}

/** What a report says once cleaned: the variables a process receives are made from it. */
export interface CleanReport {
  readonly category: string;
  readonly categoryLabel: string;
  readonly description: string;
  readonly location: { readonly address: string | null; readonly latitude: number | null; readonly longitude: number | null };
  readonly phone: string | null;
  readonly captchaToken: string | null;
}

/**
 * Cleans and checks a report's text fields (control characters removed, trimmed, then each
 * rule): every failing field is named, with the rule it fails.
 */
export function checkReport(
  fields: ReportParts['fields'],
  categories: ReadonlyMap<string, CategoryNode>,
  captchaRequired: boolean,
  language: FormLanguage,
): { report: CleanReport; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const text = (field: ReportField, singleLine: boolean) => {
    const value = cleanText(fields[field as keyof typeof fields] ?? '', singleLine);
    return value === '' ? null : value;
  };
  const category = text('category', true);
  const node = category === null ? undefined : categories.get(category);
  if (category === null) errors.push(refused('required', 'category', language));
  else if (!node) errors.push(refused('enum', 'category', language));
  const description = text('description', false) ?? '';
  if (description === '') errors.push(refused('required', 'description', language));
  else if (characters(description) < DESCRIPTION_LENGTH.min) errors.push(refused('minLength', 'description', language, { limit: DESCRIPTION_LENGTH.min }));
  else if (characters(description) > DESCRIPTION_LENGTH.max) errors.push(refused('maxLength', 'description', language, { limit: DESCRIPTION_LENGTH.max }));
  const address = text('address', true);
  if (address !== null && characters(address) > ADDRESS_MAX_LENGTH) errors.push(refused('maxLength', 'address', language, { limit: ADDRESS_MAX_LENGTH }));
  const latitude = coordinate(text('latitude', true), 'latitude', 90, language, errors);
  const longitude = coordinate(text('longitude', true), 'longitude', 180, language, errors);
  if ((latitude === null) !== (longitude === null) && !errors.some((error) => error.field === 'latitude' || error.field === 'longitude')) {
    errors.push(refused('required', latitude === null ? 'latitude' : 'longitude', language));
  }
  const phone = text('phone', true);
  if (phone !== null && !PHONE_PATTERN.test(phone)) errors.push(refused('pattern', 'phone', language, { limit: PHONE_PATTERN.source }));
  const captchaToken = text('captchaToken', true);
  if (captchaRequired && captchaToken === null) errors.push(refused('required', 'captchaToken', language));
  return {
    report: { category: category ?? '', categoryLabel: node?.label ?? '', description, location: { address, latitude, longitude }, phone, captchaToken },
    errors,
  };
}

/** A decimal number within ±limit, or null when not given; anything else is refused. */
function coordinate(value: string | null, field: 'latitude' | 'longitude', limit: number, language: FormLanguage, errors: FieldError[]): number | null {
  if (value === null) return null;
  const number = NUMBER_PATTERN.test(value) ? Number(value) : NaN;
  if (Number.isNaN(number)) errors.push(refused('type', field, language, { type: 'number' }));
  else if (number < -limit) errors.push(refused('min', field, language, { limit: -limit }));
  else if (number > limit) errors.push(refused('max', field, language, { limit }));
  else return number;
  return null;
}

function photoError(index: number, name: string, rule: string, zh: string, en: string, language: FormLanguage): FieldError {
  return { field: `photos[${index}]`, label: name, rule, message: say(language, zh, en) };
}

/** A photo past the size limit; receiving stops there (see PhotoTooLargeError), so this is the only refusal of its size. */
export function photoTooLarge(index: number, name: string, maxBytes: number, language: FormLanguage): FieldError {
  return photoError(index, name, 'maxSize', `照片 ${name} 超过大小上限 ${maxBytes} 字节`, `photo '${name}' is larger than ${maxBytes} bytes`, language);
}

/**
 * Why one received photo is refused, or null: empty, or not an image of the policy's types by its
 * content (the name and the type the client declared are not asked). Its size was held to the
 * policy while it arrived.
 */
export function photoRefusal(index: number, name: string, size: number, contentType: string | null, policy: PhotoPolicy, language: FormLanguage): FieldError | null {
  const refusal = (rule: string, zh: string, en: string): FieldError => photoError(index, name, rule, zh, en, language);
  if (size === 0) return refusal('empty', `照片 ${name} 是空文件`, `photo '${name}' is empty`);
  if (contentType === null || !policy.contentTypes.includes(contentType)) {
    const types = policy.contentTypes.join(', ') || '-';
    return refusal('type', `照片 ${name} 的内容不是允许的图片类型（${types}）`, `photo '${name}' is ${contentType ?? 'of no recognised type'} by its content, not one of ${types}`);
  }
  return null;
}
