import { Connection, DataLine, Tickets, WarningFilled } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales.js';

/** 运行监控: definitions, instances with their diagram, failed jobs, the audit log. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/monitoring/definitions', name: 'monitoring-definitions', component: () => import('./DefinitionsPage.vue'),
    meta: { title: 'monitoring.menu.definitions', section: 'monitoring', icon: Connection, order: 10, permission: 'process:read' },
  },
  {
    path: '/monitoring/instances', name: 'monitoring-instances', component: () => import('./InstancesPage.vue'),
    meta: { title: 'monitoring.menu.instances', section: 'monitoring', icon: DataLine, order: 20, permission: 'history:read' },
  },
  {
    path: '/monitoring/instances/:id', name: 'monitoring-instance', component: () => import('./InstancePage.vue'),
    meta: { title: 'monitoring.menu.instance', permission: 'history:read', activeMenu: '/monitoring/instances' },
  },
  {
    path: '/monitoring/jobs', name: 'monitoring-jobs', component: () => import('./JobsPage.vue'),
    meta: { title: 'monitoring.menu.jobs', section: 'monitoring', icon: WarningFilled, order: 30, permission: 'job:manage' },
  },
  {
    path: '/monitoring/audit', name: 'monitoring-audit', component: () => import('./AuditLogPage.vue'),
    meta: { title: 'monitoring.menu.audit', section: 'monitoring', icon: Tickets, order: 40, permission: ['menu:audit', 'audit:read'] },
  },
];

export const messages = { 'zh-CN': { monitoring: zhCN }, en: { monitoring: en } };

