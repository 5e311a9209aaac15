import { Tickets } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales.js';

/** 表单设计: the forms and the form-js editor (form-js loads with the editor's route only). */
export const routes: RouteRecordRaw[] = [
  {
    path: '/forms', name: 'forms', component: () => import('./FormsPage.vue'),
    meta: { title: 'forms.menu.list', section: 'designer', icon: Tickets, order: 20, permission: ['menu:designer:form', 'form:read'] },
  },
  {
    path: '/forms/new', name: 'forms-new', component: () => import('./FormDesignerPage.vue'),
    meta: { title: 'forms.menu.create', permission: 'form:write', activeMenu: '/forms' },
  },
  {
    path: '/forms/:key', name: 'forms-designer', component: () => import('./FormDesignerPage.vue'),
    meta: { title: 'forms.menu.designer', permission: 'form:read', activeMenu: '/forms' },
  },
];

export const messages = { 'zh-CN': { forms: zhCN }, en: { forms: en } };
