import type { RouteRecordRaw } from 'vue-router';

/** The task page: header, its form, its operations, the case's diagram and timeline. */
export const routes: RouteRecordRaw[] = [
  { path: '/tasks/:id', name: 'task', component: () => import('./TaskPage.vue'), props: true, meta: { title: 'task.title', activeMenu: '/inbox/todo', permission: 'task:read' } },
];

const zh = {
  title: '办理任务',
  tabs: { form: '办理', diagram: '流程图', timeline: '流转记录' },
  caseNo: '案件编号',
  due: '办理时限',
  assignee: '办理人',
  openCase: '查看案件',
  parked: '本案已挂账，恢复前不能办理',
  noForm: '该任务没有表单',
  notMine: '该任务由 {user} 办理，您只能查看',
  waiting: '等待加签人签署',
  done: '已提交',
  fieldErrors: '请按提示修改表单后再提交',
  ops: {
    approve: '通过', reject: '不通过', return: '退回', transfer: '转办', delegate: '委派', 'add-signer': '加签', copy: '抄送', withdraw: '撤回',
    urge: '催办', park: '挂账', extend: '申请延期', void: '申请作废', claim: '认领', unclaim: '释放', resolve: '归还', sign: '签署', 'remove-signer': '减签',
  },
  dialog: {
    comment: '办理意见', reason: '原因', commentPlaceholder: '填写意见（将记入流转记录）', reasonRequired: '请填写原因',
    target: '退回到', targetRequired: '请选择退回环节', noTargets: '没有可退回的环节', lastHandler: '上次办理：{user}，{time}',
    user: '接收人', users: '加签人', position: '加签方式', before: '前加签（加签人先签署，再回到我）', after: '后加签（我已办完，加签人签署后继续）',
    copyUsers: '抄送给（用户）', copyRoles: '抄送给（角色编码）', copyRequired: '请至少选择一个抄送对象',
    hours: '延长工作小时数', signer: '减去的加签人', signerRequired: '请选择加签人',
    confirmReject: '不通过将结束本案件或退回到指定环节，确定吗？',
  },
  duplicates: {
    title: '可能重复的上报（同类问题，50 米内，24 小时内先报）：{count} 件', category: '类别', distance: '距离', metres: '{metres} 米', time: '上报时间', state: '状态',
    states: { open: '办理中', closed: '已办结', voided: '已作废' }, merge: '合并',
    confirm: '将本上报合并到案件 {original}？本案件随即结束，市民查询时显示“已合并”及原案件的查询码。', merged: '已合并到 {original}',
  },
  result: { approve: '已通过', reject: '已不通过', return: '已退回', transfer: '已转办', delegate: '已委派', 'add-signer': '已加签', copy: '已抄送 {count} 人', park: '已挂账', extend: '延期申请已提交', void: '作废申请已提交', claim: '已认领', unclaim: '已释放', resolve: '已归还', sign: '已签署', 'remove-signer': '已减签', withdraw: '已撤回', urge: '已催办' },
};
const en = {
  title: 'Task',
  tabs: { form: 'Work', diagram: 'Diagram', timeline: 'Timeline' },
  caseNo: 'Case number',
  due: 'Due',
  assignee: 'Assignee',
  openCase: 'Open the case',
  parked: 'The case is parked: nothing can be done until it is resumed',
  noForm: 'This task has no form',
  notMine: '{user} works on this task; you can only look',
  waiting: 'Waiting for the added signers',
  done: 'Submitted',
  fieldErrors: 'Correct the fields marked and submit again',
  ops: {
    approve: 'Approve', reject: 'Reject', return: 'Send back', transfer: 'Transfer', delegate: 'Delegate', 'add-signer': 'Add signers', copy: 'Copy', withdraw: 'Withdraw',
    urge: 'Urge', park: 'Park', extend: 'Ask for more time', void: 'Ask to void', claim: 'Claim', unclaim: 'Release', resolve: 'Give back', sign: 'Sign', 'remove-signer': 'Remove signer',
  },
  dialog: {
    comment: 'Comment', reason: 'Reason', commentPlaceholder: 'Your comment (kept in the timeline)', reasonRequired: 'Give a reason',
    target: 'Send back to', targetRequired: 'Choose a step', noTargets: 'No earlier step to send back to', lastHandler: 'Last done by {user}, {time}',
    user: 'To', users: 'Signers', position: 'Position', before: 'Before me (they sign, then it comes back)', after: 'After me (I am done, it goes on once they signed)',
    copyUsers: 'Copy to (users)', copyRoles: 'Copy to (role codes)', copyRequired: 'Choose at least one recipient',
    hours: 'Working hours to add', signer: 'Signer to remove', signerRequired: 'Choose a signer',
    confirmReject: 'Rejecting ends the case or sends it to a set step. Continue?',
  },
  duplicates: {
    title: 'Possible duplicates (same problem, within 50 m, reported in the 24 h before): {count}', category: 'Category', distance: 'Distance', metres: '{metres} m', time: 'Reported', state: 'State',
    states: { open: 'Open', closed: 'Closed', voided: 'Voided' }, merge: 'Merge',
    confirm: 'Merge this report into case {original}? This case ends; its citizen sees "merged" and the original\'s tracking code.', merged: 'Merged into {original}',
  },
  result: { approve: 'Approved', reject: 'Rejected', return: 'Sent back', transfer: 'Transferred', delegate: 'Delegated', 'add-signer': 'Signers added', copy: 'Copied to {count}', park: 'Parked', extend: 'Extension requested', void: 'Voiding requested', claim: 'Claimed', unclaim: 'Released', resolve: 'Given back', sign: 'Signed', 'remove-signer': 'Signer removed', withdraw: 'Withdrawn', urge: 'Urged' },
};

export const messages = { 'zh-CN': { task: zh }, en: { task: en } };
