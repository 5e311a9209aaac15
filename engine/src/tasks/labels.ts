import type { TaskOperation } from '../bpmn/model/index.js';

export type Locale = 'zh-CN' | 'en';

/** Operations that follow from a task's state rather than from its configuration. */
export type StateOperation = 'claim' | 'unclaim' | 'resolve' | 'sign' | 'remove-signer';
export type OfferedOperation = TaskOperation | StateOperation;

/** The standard button labels; a task's BPMN may rename its own (`yiwang:operation:<code>:label`). */
const STANDARD_LABELS: Readonly<Record<OfferedOperation, Readonly<Record<Locale, string>>>> = {
  claim: { 'zh-CN': '认领', en: 'Claim' },
  unclaim: { 'zh-CN': '释放', en: 'Release' },
  resolve: { 'zh-CN': '归还', en: 'Give back' },
  sign: { 'zh-CN': '签署', en: 'Sign' },
  'remove-signer': { 'zh-CN': '减签', en: 'Remove signer' },
  approve: { 'zh-CN': '通过', en: 'Approve' },
  reject: { 'zh-CN': '不通过', en: 'Reject' },
  return: { 'zh-CN': '退回', en: 'Send back' },
  transfer: { 'zh-CN': '转办', en: 'Transfer' },
  delegate: { 'zh-CN': '委派', en: 'Delegate' },
  'add-signer': { 'zh-CN': '加签', en: 'Add signer' },
  copy: { 'zh-CN': '抄送', en: 'Copy to' },
  withdraw: { 'zh-CN': '撤回', en: 'Withdraw' },
  urge: { 'zh-CN': '催办', en: 'Urge' },
  park: { 'zh-CN': '挂账', en: 'Park' },
  extend: { 'zh-CN': '延期', en: 'Extend' },
  void: { 'zh-CN': '作废', en: 'Void' },
  merge: { 'zh-CN': '合并', en: 'Merge' },
};

/** The label of an operation's button: the task's own, or the standard one in the locale. */
export function operationLabel(operation: OfferedOperation, custom: string | null, locale: Locale): string {
  return custom ?? STANDARD_LABELS[operation][locale];
}
