import type { MultipartPart } from '../api/multipart.js';
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

/** A report's body taken apart: its text fields (the first of each name), its photos, and the parts that do not belong. */
export interface ReportParts {
  readonly fields: Partial<Record<(typeof REPORT_FIELDS)[number], string>>;
  readonly photos: readonly MultipartPart[];
  readonly errors: readonly FieldError[];
}

export function reportParts(parts: readonly MultipartPart[], language: FormLanguage): ReportParts {
  const fields: Partial<Record<(typeof REPORT_FIELDS)[number], string>> = {};
  const photos: MultipartPart[] = [];
  const errors: FieldError[] = [];
  for (const part of parts) {
    if (part.name === 'photos' && part.isFile) photos.push(part);
    else if (!part.isFile && (REPORT_FIELDS as readonly string[]).includes(part.name)) fields[part.name as (typeof REPORT_FIELDS)[number]] ??= part.content.toString('utf8');
    else if (part.name === 'photos') errors.push({ field: 'photos', label: labelOf('photos', language), rule: 'type', message: say(language, '「照片」应为文件', 'photos must be files') });
    else if ((REPORT_FIELDS as readonly string[]).includes(part.name)) errors.push(refused('type', part.name as ReportField, language, { type: 'string' }));
    else errors.push({ field: part.name, label: null, rule: 'unknown', message: say(language, `上报中没有字段「${part.name}」`, `'${part.name}' is not a field of a report`) });
  }
  return { fields, photos, errors };
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

/**
 * Why one photo is refused, or null: empty, larger than the policy's size, or not an image of the
 * policy's types by its content (the name and the type the client declared are not asked).
 */
export function photoRefusal(index: number, name: string, size: number, contentType: string | null, policy: PhotoPolicy, language: FormLanguage): FieldError | null {
  const refusal = (rule: string, zh: string, en: string): FieldError => ({ field: `photos[${index}]`, label: name, rule, message: say(language, zh, en) });
  if (size === 0) return refusal('empty', `照片 ${name} 是空文件`, `photo '${name}' is empty`);
  if (size > policy.maxBytes) return refusal('maxSize', `照片 ${name} 超过大小上限 ${policy.maxBytes} 字节`, `photo '${name}' is larger than ${policy.maxBytes} bytes`);
  if (contentType === null || !policy.contentTypes.includes(contentType)) {
    const types = policy.contentTypes.join(', ') || '-';
    return refusal('type', `照片 ${name} 的内容不是允许的图片类型（${types}）`, `photo '${name}' is ${contentType ?? 'of no recognised type'} by its content, not one of ${types}`);
  }
  return null;
}
