import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { currentUser, forgetSession, hasPermission, isSignedIn, loadProfile, onSignedOut } from '@yiwang/web-kit/api';
import { DOMAINS } from './domains.js';
import { addMessages, t } from './i18n.js';
import './route-meta.js';

const SHELL_PAGES: RouteRecordRaw[] = [
  { path: '/forbidden', name: 'forbidden', component: () => import('./pages/RefusalPage.vue'), props: { status: 403 }, meta: { title: 'errors.forbidden' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/RefusalPage.vue'), props: { status: 404 }, meta: { title: 'errors.notFound' } },
];

/** Every page inside the layout: the domains' first, so the catch-all stays last. */
export const pageRoutes: RouteRecordRaw[] = [...DOMAINS.flatMap((domain) => domain.routes), ...SHELL_PAGES];

for (const domain of DOMAINS) if (domain.messages) addMessages(domain.messages);

/** The app's router (history mode under /runtime/): the login page, and the layout holding every page. */
export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/login', name: 'login', component: () => import('./login.js'), meta: { public: true, title: 'login.title' } },
      { path: '/', component: () => import('./layout/AppLayout.vue'), children: pageRoutes },
    ],
    scrollBehavior: () => ({ top: 0 }),
  });

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const toLogin = { name: 'login', query: { redirect: to.fullPath } };
    if (!isSignedIn()) return toLogin;
    if (!currentUser.value) {
      try {
        await loadProfile();
      } catch {
        forgetSession();
        return toLogin;
      }
    }
    if (currentUser.value?.passwordChangeRequired) return { name: 'login', query: { redirect: to.fullPath, change: '1' } };
    if (!hasPermission(to.meta.permission)) return { name: 'forbidden' };
    return true;
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${t(to.meta.title)} · ${t('app.title')}` : t('app.title');
  });

  // the session is over (a 401 the refresh token could not cure): sign in again, then come back
  onSignedOut(() => {
    forgetSession();
    const here = router.currentRoute.value;
    if (!here.meta.public) void router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } });
  });

  return router;
}
