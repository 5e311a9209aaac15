import { DataAnalysis } from '@element-plus/icons-vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import { createSessionRouter, refusalRoutes } from '@yiwang/web-kit/router';
import { DOMAINS } from './domains.js';
import { addMessages } from './i18n.js';
import './route-meta.js';

/** The shell's own pages inside the layout: home, the statistics placeholder, the refusals (the plugins page is src/plugins/). */
const SHELL_PAGES: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'menu.home', affix: true } },
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('./pages/PlaceholderPage.vue'),
    props: { text: 'placeholder.statistics' },
    meta: { title: 'menu.statistics', section: 'system', icon: DataAnalysis, order: 91 },
  },
  ...refusalRoutes(() => import('./pages/RefusalPage.vue')),
];

/** Every page inside the layout: the domains' first, so the catch-all stays last. */
export const pageRoutes: RouteRecordRaw[] = [...DOMAINS.flatMap((domain) => domain.routes), ...SHELL_PAGES];

for (const domain of DOMAINS) if (domain.messages) addMessages(domain.messages);

/** The app's router (history mode under /designer/): the login page, and the layout holding every page; the session guard of @yiwang/web-kit/router. */
export function createAppRouter(): Router {
  return createSessionRouter({ login: () => import('./login.js'), layout: () => import('./layout/AppLayout.vue'), pages: pageRoutes });
}
