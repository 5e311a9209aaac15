/**
 * The process designer: the deployed processes, the bpmn-js modeler with our business panels, lint
 * and deploy, and the versions of a process with a diff. bpmn-js is imported by the designer page
 * only, so it loads on that route alone.
 */
import { Share } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales.js';

const PERMISSION = 'menu:designer:process';

export const routes: readonly RouteRecordRaw[] = [
  {
    path: '/processes',
    name: 'process-list',
    component: () => import('./ProcessListPage.vue'),
    meta: { title: 'processes.menu.list', section: 'designer', icon: markRaw(Share), order: 10, permission: PERMISSION },
  },
  {
    path: '/processes/designer',
    name: 'process-designer-new',
    component: () => import('./ProcessDesignerPage.vue'),
    meta: { title: 'processes.menu.designer', permission: PERMISSION, activeMenu: '/processes' },
  },
  {
    path: '/processes/designer/:definitionId',
    name: 'process-designer',
    component: () => import('./ProcessDesignerPage.vue'),
    meta: { title: 'processes.menu.designer', permission: PERMISSION, activeMenu: '/processes' },
  },
  {
    path: '/processes/drafts/:draftKey',
    name: 'process-draft',
    component: () => import('./ProcessDesignerPage.vue'),
    meta: { title: 'processes.drafts.page', permission: PERMISSION, activeMenu: '/processes' },
  },
  {
    path: '/processes/:key/versions',
    name: 'process-versions',
    component: () => import('./ProcessVersionsPage.vue'),
    meta: { title: 'processes.menu.versions', permission: PERMISSION, activeMenu: '/processes' },
  },
];

export const messages = { 'zh-CN': { processes: zhCN }, en: { processes: en } };
