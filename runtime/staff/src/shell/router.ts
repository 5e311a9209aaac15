import type { RouteRecordRaw, Router } from 'vue-router';
import { createSessionRouter, refusalRoutes } from '@yiwang/web-kit/router';
import { DOMAINS } from './domains.js';
import { addMessages } from './i18n.js';
import './route-meta.js';

/** Every page inside the layout: the domains' first, so the catch-all stays last. */
export const pageRoutes: RouteRecordRaw[] = [...DOMAINS.flatMap((domain) => domain.routes), ...refusalRoutes(() => import('./pages/RefusalPage.vue'))];

for (const domain of DOMAINS) if (domain.messages) addMessages(domain.messages);

/** The app's router (history mode under /runtime/): the login page, and the layout holding every page; the session guard of @yiwang/web-kit/router. */
export function createAppRouter(): Router {
  return createSessionRouter({
    login: () => import('./login.js'),
    layout: () => import('./layout/AppLayout.vue'),
    pages: pageRoutes,
    scrollBehavior: () => ({ top: 0 }),
  });
}
