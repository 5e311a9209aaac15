/** Dictionaries: flat code lists and trees (the case-category directory, the region and grid tree), shared or a tenant's own. */
import { Collection } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales';

export const routes: RouteRecordRaw[] = [
  {
    path: '/dictionaries', name: 'dictionaries', component: () => import('./DictionariesPage.vue'),
    meta: { title: 'dict.menu.dictionaries', section: 'designer', icon: markRaw(Collection), order: 30, permission: 'menu:designer:dictionary' },
  },
];

export const messages = { 'zh-CN': { dict: zhCN }, en: { dict: en } };
