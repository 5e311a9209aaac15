import { Files } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 案件: finding a case by its number, and the case page (summary, open tasks, hold and requests, operations, diagram, timeline). */
export const routes: RouteRecordRaw[] = [
  // `?process=<key>`: that process's cases (a plugin's menu entry, e.g. 案件查询 → /cases?process=cc_case)
  {
    path: '/cases', name: 'cases', component: () => import('./CaseSearchPage.vue'),
    meta: { title: 'case.search.title', menuOrder: 3, icon: Files, permission: 'instance:read', acceptsQuery: ['process'] },
  },
  { path: '/cases/:id', name: 'case', component: () => import('./CasePage.vue'), props: true, meta: { title: 'case.title', activeMenu: '/cases', permission: 'instance:read' } },
];

const actionsZh = {
  start: '发起', claim: '认领', unclaim: '释放', approve: '通过', complete: '完成', transfer: '转办', delegate: '委派', resolve: '归还', return: '退回',
  withdraw: '撤回', reject: '不通过', 'add-signer': '加签', sign: '签署', 'remove-signer': '减签', copy: '抄送', urge: '催办', park: '挂账', resume: '恢复',
  'extension-request': '申请延期', 'extension-approved': '延期已批准', 'extension-rejected': '延期被驳回', 'void-request': '申请作废', 'void-approved': '作废已批准',
  'void-rejected': '作废被驳回', void: '作废', escalate: '超时督办', 'timeout-complete': '超时自动完成', terminate: '终止',
  merge: '已合并到其他案件', 'merge-in': '合并重复上报',
};
const actionsEn = {
  start: 'Started', claim: 'Claimed', unclaim: 'Released', approve: 'Approved', complete: 'Completed', transfer: 'Transferred', delegate: 'Delegated', resolve: 'Given back',
  return: 'Sent back', withdraw: 'Withdrawn', reject: 'Rejected', 'add-signer': 'Signers added', sign: 'Signed', 'remove-signer': 'Signer removed', copy: 'Copied',
  urge: 'Urged', park: 'Parked', resume: 'Resumed', 'extension-request': 'Extension asked', 'extension-approved': 'Extension approved',
  'extension-rejected': 'Extension refused', 'void-request': 'Voiding asked', 'void-approved': 'Voiding approved', 'void-rejected': 'Voiding refused', void: 'Voided',
  escalate: 'Escalated', 'timeout-complete': 'Completed on timeout', terminate: 'Terminated',
  merge: 'Merged into another case', 'merge-in': 'Duplicate merged in',
};

export const messages = {
  'zh-CN': {
    case: {
      title: '案件详情',
      search: {
        title: '案件查询', placeholder: '按案件编号查找', prefix: '按编号前缀查找', noMatch: '没有编号为 {key} 的案件', hint: '输入完整案件编号直接打开；输入编号开头可列出匹配的案件',
        only: '仅显示：{name}', all: '查询全部案件', noCases: '该流程没有您可查看的案件',
      },
      summary: '案件概况', number: '案件编号', process: '流程', state: '状态', started: '发起时间', ended: '结束时间', starter: '发起人',
      openTasks: '当前环节', noOpenTasks: '没有待办环节', hold: '挂账', heldBy: '{user} 于 {time} 挂账', requests: '延期与作废申请',
      requestKinds: { extension: '延期', void: '作废' }, requestStates: { pending: '待审批', approved: '已批准', rejected: '已驳回', cancelled: '已取消' },
      hours: '{hours} 小时',
      tabs: { timeline: '流转记录', diagram: '流程图' },
      ops: { urge: '催办', resume: '恢复', terminate: '终止', withdraw: '撤回' },
      done: { urge: '已催办 {count} 人', resume: '已恢复', terminate: '已终止', withdraw: '已撤回' },
      reason: '原因', comment: '意见',
      system: '系统',
      workingTime: '用时 {time}',
      actions: actionsZh,
      diagram: { active: '办理中', completed: '已完成', incident: '异常', count: '经过 {count} 次' },
    },
  },
  en: {
    case: {
      title: 'Case',
      search: {
        title: 'Find a case', placeholder: 'Find by case number', prefix: 'Find by number prefix', noMatch: 'No case numbered {key}', hint: 'A whole case number opens the case; the start of a number lists the cases it matches',
        only: 'Showing only: {name}', all: 'Search every case', noCases: 'No case of this process you may see',
      },
      summary: 'Summary', number: 'Case number', process: 'Process', state: 'State', started: 'Started', ended: 'Ended', starter: 'Started by',
      openTasks: 'Open steps', noOpenTasks: 'No open steps', hold: 'Parked', heldBy: 'Parked by {user} at {time}', requests: 'Extension and voiding requests',
      requestKinds: { extension: 'Extension', void: 'Voiding' }, requestStates: { pending: 'Pending', approved: 'Approved', rejected: 'Refused', cancelled: 'Cancelled' },
      hours: '{hours} h',
      tabs: { timeline: 'Timeline', diagram: 'Diagram' },
      ops: { urge: 'Urge', resume: 'Resume', terminate: 'Terminate', withdraw: 'Withdraw' },
      done: { urge: 'Urged {count}', resume: 'Resumed', terminate: 'Terminated', withdraw: 'Withdrawn' },
      reason: 'Reason', comment: 'Comment',
      system: 'System',
      workingTime: 'took {time}',
      actions: actionsEn,
      diagram: { active: 'Open', completed: 'Done', incident: 'Incident', count: 'Entered {count} times' },
    },
  },
};
