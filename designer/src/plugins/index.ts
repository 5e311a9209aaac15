/**
 * 插件管理: the plugins of the server's plugin folders and their state in a tenant — install,
 * upgrade, disable, enable, uninstall — with what each contributes and the manifests the server
 * refused. Seen with `menu:designer:plugins` (menu) and `plugin:read`; the commands need `plugin:write`.
 */
import { Box } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales';

export const routes: RouteRecordRaw[] = [
  {
    path: '/plugins', name: 'plugins', component: () => import('./PluginsPage.vue'),
    meta: { title: 'plugins.menu', section: 'system', icon: markRaw(Box), order: 90, permission: 'menu:designer:plugins' },
  },
];

export const messages = { 'zh-CN': { plugins: zhCN }, en: { plugins: en } };
