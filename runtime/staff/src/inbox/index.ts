import { Tickets } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 待办事项: the inbox tabs 待办 / 待认领 / 已办 / 我发起的 / 抄送我. */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inbox/todo' },
  { path: '/inbox', redirect: '/inbox/todo' },
  {
    path: '/inbox/:tab(todo|claimable|done|started|copies)',
    name: 'inbox',
    component: () => import('./InboxPage.vue'),
    meta: { title: 'inbox.title', menuOrder: 1, menuPath: '/inbox/todo', icon: Tickets, permission: ['menu:runtime:inbox', 'task:read'] },
  },
];

export const messages = {
  'zh-CN': {
    inbox: {
      title: '待办事项',
      tabs: { todo: '待办', claimable: '待认领', done: '已办', started: '我发起的', copies: '抄送我' },
      search: '搜索任务名称或案件编号',
      process: '流程',
      category: '分类',
      light: '状态灯',
      due: '截止日期',
      dueFrom: '开始日期',
      dueTo: '结束日期',
      columns: { light: '状态', task: '任务', process: '流程', businessKey: '案件编号', created: '到达时间', due: '截止时间', ended: '办理时间', state: '案件状态', sender: '抄送人', step: '环节', comment: '留言', time: '抄送时间' },
      parked: '挂账中', delegated: '委派', urged: '催办 {count} 次', unread: '未读',
    },
  },
  en: {
    inbox: {
      title: 'Inbox',
      tabs: { todo: 'To do', claimable: 'To claim', done: 'Done', started: 'Started by me', copies: 'Copied to me' },
      search: 'Search task name or case number',
      process: 'Process',
      category: 'Category',
      light: 'Light',
      due: 'Due date',
      dueFrom: 'From',
      dueTo: 'To',
      columns: { light: 'Light', task: 'Task', process: 'Process', businessKey: 'Case number', created: 'Arrived', due: 'Due', ended: 'Done at', state: 'Case state', sender: 'Sent by', step: 'Step', comment: 'Note', time: 'Copied at' },
      parked: 'Parked', delegated: 'Delegated', urged: 'Urged {count}×', unread: 'Unread',
    },
  },
};
