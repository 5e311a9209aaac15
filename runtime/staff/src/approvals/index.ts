import { Stamp } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 审批: the 延期 and 作废 requests waiting for an approver (`case-request:approve`, the 值班长 in the seeds). */
export const routes: RouteRecordRaw[] = [
  {
    // `/requests`: where the command-coordination plugin's 审批（延期、作废申请） menu entry points
    path: '/approvals', alias: '/requests', name: 'approvals', component: () => import('./ApprovalsPage.vue'),
    meta: { title: 'approvals.title', menuOrder: 3.5, icon: Stamp, permission: 'case-request:approve' },
  },
];

export const messages = {
  'zh-CN': {
    approvals: {
      title: '审批', kind: '类型', state: '状态', allKinds: '全部类型', allStates: '全部状态',
      case: '案件', process: '流程', step: '环节', requestedBy: '申请人', requestedAt: '申请时间', reason: '申请理由', extension: '延长',
      decision: '审批结果', decidedBy: '{user} 于 {time}', actions: '操作', openCase: '查看案件',
      approve: '批准', reject: '驳回', comment: '审批意见', commentPlaceholder: '可选',
      dialogTitle: { approve: '批准{kind}申请', reject: '驳回{kind}申请' },
      voidWarning: '批准作废将立即结束该案件。',
      done: { approve: '已批准', reject: '已驳回' },
      previous: '上一页', next: '下一页', page: '第 {page} 页',
      empty: '没有待审批的申请',
    },
  },
  en: {
    approvals: {
      title: 'Approvals', kind: 'Kind', state: 'State', allKinds: 'All kinds', allStates: 'All states',
      case: 'Case', process: 'Process', step: 'Step', requestedBy: 'Asked by', requestedAt: 'Asked at', reason: 'Reason', extension: 'Extension',
      decision: 'Decision', decidedBy: '{user} at {time}', actions: 'Actions', openCase: 'Open the case',
      approve: 'Approve', reject: 'Refuse', comment: 'Comment', commentPlaceholder: 'Optional',
      dialogTitle: { approve: 'Approve the {kind} request', reject: 'Refuse the {kind} request' },
      voidWarning: 'Approving voids the case at once: it ends.',
      done: { approve: 'Approved', reject: 'Refused' },
      previous: 'Previous', next: 'Next', page: 'Page {page}',
      empty: 'No requests waiting',
    },
  },
};
