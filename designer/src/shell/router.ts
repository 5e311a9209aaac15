import { Box, DataAnalysis } from '@element-plus/icons-vue';
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { currentUser, forgetSession, hasPermission, isSignedIn, loadProfile, onSignedOut } from '../api/index.js';
import { DOMAINS } from './domains.js';
import { addMessages, t } from './i18n.js';
import './route-meta.js';

/** The shell's own pages inside the layout: home, the placeholders, the refusals. */
const SHELL_PAGES: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'menu.home', affix: true } },
  {
    path: '/plugins',
    name: 'plugins',
    component: () => import('./pages/PlaceholderPage.vue'),
    props: { text: 'placeholder.plugins' },
    meta: { title: 'menu.plugins', section: 'system', icon: Box, order: 90 },
  },
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('./pages/PlaceholderPage.vue'),
    props: { text: 'placeholder.statistics' },
    meta: { title: 'menu.statistics', section: 'system', icon: DataAnalysis, order: 91 },
  },
  { path: '/forbidden', name: 'forbidden', component: () => import('./pages/RefusalPage.vue'), props: { status: 403 }, meta: { title: 'errors.forbidden' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/RefusalPage.vue'), props: { status: 404 }, meta: { title: 'errors.notFound' } },
];

/** Every page inside the layout: the domains' first, so the catch-all stays last. */
export const pageRoutes: RouteRecordRaw[] = [...DOMAINS.flatMap((domain) => domain.routes), ...SHELL_PAGES];

for (const domain of DOMAINS) if (domain.messages) addMessages(domain.messages);

/** The app's router (history mode under /designer/): the login page, and the layout holding every page. */
export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/login', name: 'login', component: () => import('./login.js'), meta: { public: true, title: 'login.title' } },
      { path: '/', component: () => import('./layout/AppLayout.vue'), children: pageRoutes },
    ],
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
