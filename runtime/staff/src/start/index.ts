import { CirclePlus } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 发起: the catalogue of startable processes by category, and a process's start form. */
export const routes: RouteRecordRaw[] = [
  // `?process=<key>`: only that process (a plugin's menu entry, e.g. 发起上报 → /start?process=cc_case)
  {
    path: '/start', name: 'start', component: () => import('./StartCatalogue.vue'),
    meta: { title: 'start.title', menuOrder: 2, icon: CirclePlus, permission: ['menu:runtime:start', 'process:start'], acceptsQuery: ['process'] },
  },
  { path: '/start/:id', name: 'start-form', component: () => import('./StartFormPage.vue'), props: true, meta: { title: 'start.formTitle', activeMenu: '/start', permission: 'process:start' } },
];

export const messages = {
  'zh-CN': {
    start: {
      title: '发起', formTitle: '填写并发起', none: '您没有可发起的流程', uncategorised: '其他', version: '版本 {version}',
      submit: '提交发起', started: '已发起，案件编号 {key}', noForm: '该流程没有发起表单，确认直接发起？', fieldErrors: '请按提示修改表单后再提交', back: '返回目录',
      only: '仅显示：{name}', showAll: '显示全部流程', notStartable: '您当前不能发起流程 {key}（未部署、已停用，或您没有发起权限）',
    },
  },
  en: {
    start: {
      title: 'Start', formTitle: 'Fill in and start', none: 'There is no process you may start', uncategorised: 'Other', version: 'version {version}',
      submit: 'Start', started: 'Started: case {key}', noForm: 'This process has no start form. Start it now?', fieldErrors: 'Correct the fields marked and submit again', back: 'Back to the catalogue',
      only: 'Showing only: {name}', showAll: 'Show every process', notStartable: 'You cannot start the process {key} now (not deployed, switched off, or you may not start it)',
    },
  },
};
