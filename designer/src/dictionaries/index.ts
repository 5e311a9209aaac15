/** Dictionaries: flat code lists and trees (the case-category directory, the region and grid tree), shared or a tenant's own. */
import { Collection } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales';

export const routes: RouteRecordRaw[] = [
  {
    path: '/dictionaries', name: 'dictionaries', component: () => import('./DictionariesPage.vue'),
    // `?code=<dictionary>` opens that dictionary (the one in force in the user's tenant): plugins' menu entries such as 派遣规则 → /dictionaries?code=cc-routing
    meta: { title: 'dict.menu.dictionaries', section: 'designer', icon: markRaw(Collection), order: 30, permission: 'menu:designer:dictionary', acceptsQuery: ['code'] },
  },
];

export const messages = { 'zh-CN': { dict: zhCN }, en: { dict: en } };
