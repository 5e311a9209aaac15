/**
 * The session guard every staff app's router needs, written once: public routes pass; without a
 * session, the login page (coming back afterwards through `redirect`); the profile loaded once per
 * page load (a session the server no longer knows: the login page); a password to change first:
 * the login page's change form; a page the user's permissions do not give: the forbidden page;
 * document titles from the route's `meta.title`; and when the session ends under a page (a 401 the
 * refresh could not cure), the login page with `expired=1`.
 */
import { createRouter, createWebHistory, type RouteComponent, type RouteLocationNormalized, type RouteRecordRaw, type Router, type RouterScrollBehavior } from 'vue-router';
import { currentUser, forgetSession, hasPermission, isSignedIn, loadProfile, onSignedOut } from '../api/index.js';
import { t } from '../i18n/index.js';

export interface SessionGuardOptions {
  /** the name of the login route (default `login`) */
  readonly loginRoute?: string;
  /** the name of the route saying "no permission" (default `forbidden`) */
  readonly forbiddenRoute?: string;
}

/** The route meta the guard reads (each app declares them, with more, on vue-router's RouteMeta). */
interface GuardedMeta {
  /** reachable without a session (the login page) */
  readonly public?: boolean;
  /** the permission needed (any of a list) */
  readonly permission?: string | readonly string[];
  /** the i18n key of the page's title */
  readonly title?: string;
}
const metaOf = (route: RouteLocationNormalized) => route.meta as GuardedMeta;

export function installSessionGuard(router: Router, options: SessionGuardOptions = {}): void {
  const loginRoute = options.loginRoute ?? 'login';
  const forbiddenRoute = options.forbiddenRoute ?? 'forbidden';

  router.beforeEach(async (to) => {
    const meta = metaOf(to);
    if (meta.public) return true;
    const toLogin = { name: loginRoute, query: { redirect: to.fullPath } };
    if (!isSignedIn()) return toLogin;
    if (!currentUser.value) {
      try {
        await loadProfile();
      } catch {
        forgetSession();
        return toLogin;
      }
    }
    if (currentUser.value?.passwordChangeRequired) return { name: loginRoute, query: { redirect: to.fullPath, change: '1' } };
    if (!hasPermission(meta.permission)) return { name: forbiddenRoute };
    return true;
  });

  router.afterEach((to) => {
    const title = metaOf(to).title;
    document.title = title ? `${t(title)} · ${t('app.title')}` : t('app.title');
  });

  // the session is over (a 401 the refresh token could not cure): sign in again, then come back
  onSignedOut(() => {
    forgetSession();
    const here = router.currentRoute.value;
    if (!metaOf(here).public) void router.push({ name: loginRoute, query: { redirect: here.fullPath, expired: '1' } });
  });
}

type Lazy = RouteComponent | (() => Promise<RouteComponent | { default: RouteComponent }>);

export interface SessionRouterOptions extends SessionGuardOptions {
  /** the login page (`/login`, public, titled `login.title`) */
  readonly login: Lazy;
  /** the layout holding every other page */
  readonly layout: Lazy;
  /** the pages inside the layout (absolute paths; a catch-all last) */
  readonly pages: RouteRecordRaw[];
  readonly scrollBehavior?: RouterScrollBehavior;
}

/** A staff app's router (history mode under the app's base): the login page, the layout with its pages, the session guard. */
export function createSessionRouter(options: SessionRouterOptions): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/login', name: options.loginRoute ?? 'login', component: options.login, meta: { public: true, title: 'login.title' } },
      { path: '/', component: options.layout, children: options.pages },
    ],
    scrollBehavior: options.scrollBehavior,
  });
  installSessionGuard(router, options);
  return router;
}

/** The refusals inside the layout, each app's own page given `status`: 403 (`forbidden`, the guard's) and 404 (the catch-all: put it last). */
export function refusalRoutes(page: Lazy): RouteRecordRaw[] {
  return [
    { path: '/forbidden', name: 'forbidden', component: page, props: { status: 403 }, meta: { title: 'errors.forbidden' } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: page, props: { status: 404 }, meta: { title: 'errors.notFound' } },
  ];
}
