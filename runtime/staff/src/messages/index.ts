import { ChatDotRound } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 消息中心: the caller's messages, unread first; 抄送我 is one click away. */
export const routes: RouteRecordRaw[] = [
  { path: '/messages', name: 'messages', component: () => import('./MessagesPage.vue'), meta: { title: 'messages.title', menuOrder: 4, icon: ChatDotRound, permission: 'menu:runtime:messages' } },
];

export const messages = {
  'zh-CN': {
    messages: {
      title: '消息中心', unread: '未读', all: '全部', readAll: '全部标为已读', markRead: '标为已读', copies: '抄送我的案件', marked: '已将 {count} 条标为已读',
      openTask: '去办理', openCase: '查看案件',
      kinds: {
        'task-assigned': '新待办', 'task-offered': '待认领', copy: '抄送', urge: '催办', 'deadline-approaching': '临期提醒', 'deadline-passed': '超期提醒',
        'deadline-escalated': '超期督办', 'task-resolved': '委派归还', returned: '退回', request: '审批申请', 'request-decided': '审批结果',
      },
    },
  },
  en: {
    messages: {
      title: 'Messages', unread: 'Unread', all: 'All', readAll: 'Mark all read', markRead: 'Mark read', copies: 'Cases copied to me', marked: '{count} marked read',
      openTask: 'Work on it', openCase: 'Open the case',
      kinds: {
        'task-assigned': 'New task', 'task-offered': 'To claim', copy: 'Copy', urge: 'Urged', 'deadline-approaching': 'Due soon', 'deadline-passed': 'Overdue',
        'deadline-escalated': 'Escalated', 'task-resolved': 'Given back', returned: 'Sent back', request: 'Request', 'request-decided': 'Decision',
      },
    },
  },
};
