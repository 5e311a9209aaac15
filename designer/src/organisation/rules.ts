/**
 * Form rules matching the server's own checks (identity/organisation/rules.ts, admin-schemas.ts),
 * so a form refuses before sending what the server would refuse.
 */
import type { FormItemRule } from 'element-plus';

type T = (key: string, values?: Record<string, unknown>) => string;

export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const LOGIN_ID_PATTERN = /^[A-Za-z0-9._-]{2,64}$/;
export const TENANT_ID_PATTERN = /^[0-9]{6}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9][0-9 -]{2,31}$/;

const required = (t: T): FormItemRule => ({ required: true, message: t('org.common.required'), trigger: 'blur' });

export const codeRules = (t: T): FormItemRule[] => [required(t), { pattern: CODE_PATTERN, message: t('org.common.codeRule'), trigger: 'blur' }];

export const nameRules = (t: T, max = 255): FormItemRule[] => [
  { required: true, whitespace: true, message: t('org.common.required'), trigger: 'blur' },
  { max, message: t('org.common.tooLong', { n: max }), trigger: 'blur' },
];

export const loginRules = (t: T, isRequired = true): FormItemRule[] => [
  ...(isRequired ? [required(t)] : []),
  { pattern: LOGIN_ID_PATTERN, message: t('org.common.loginRule'), trigger: 'blur' },
];

export const tenantIdRules = (t: T): FormItemRule[] => [required(t), { pattern: TENANT_ID_PATTERN, message: t('org.tenants.idRule'), trigger: 'blur' }];

export const emailRules = (t: T): FormItemRule[] => [
  { pattern: EMAIL_PATTERN, message: t('org.users.emailRule'), trigger: 'blur' },
  { max: 254, message: t('org.common.tooLong', { n: 254 }), trigger: 'blur' },
];

export const phoneRules = (t: T): FormItemRule[] => [{ pattern: PHONE_PATTERN, message: t('org.users.phoneRule'), trigger: 'blur' }];

export const requiredRule = required;
