import { CirclePlus } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

/** 发起: the catalogue of startable processes by category, and a process's start form. */
export const routes: RouteRecordRaw[] = [
  { path: '/start', name: 'start', component: () => import('./StartCatalogue.vue'), meta: { title: 'start.title', menuOrder: 2, icon: CirclePlus, permission: ['menu:runtime:start', 'process:start'] } },
  { path: '/start/:id', name: 'start-form', component: () => import('./StartFormPage.vue'), props: true, meta: { title: 'start.formTitle', activeMenu: '/start', permission: 'process:start' } },
];

export const messages = {
  'zh-CN': {
    start: {
      title: '发起', formTitle: '填写并发起', none: '您没有可发起的流程', uncategorised: '其他', version: '版本 {version}',
      submit: '提交发起', started: '已发起，案件编号 {key}', noForm: '该流程没有发起表单，确认直接发起？', fieldErrors: '请按提示修改表单后再提交', back: '返回目录',
    },
  },
  en: {
    start: {
      title: 'Start', formTitle: 'Fill in and start', none: 'There is no process you may start', uncategorised: 'Other', version: 'version {version}',
      submit: 'Start', started: 'Started: case {key}', noForm: 'This process has no start form. Start it now?', fieldErrors: 'Correct the fields marked and submit again', back: 'Back to the catalogue',
    },
  },
};
