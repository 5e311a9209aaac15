/**
 * The plugins' menu entries as data (no session, no HTTP): what `GET /api/menus` answers, which of
 * its entries an app can open, and the groups the navigation shows. Apart from `index.ts` so the
 * unit tests run it in Node without a browser.
 */
import type { RouteLocationNormalizedLoaded, RouteLocationResolved, Router } from 'vue-router';

export type MenuApp = 'runtime' | 'designer';
export type MenuLocale = 'zh-CN' | 'en';

export interface LocalisedText {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** One entry as `GET /api/menus?app=` answers it: the caller's tenant's enabled plugins', those the caller's permissions admit, by `order`. */
export interface PluginMenuEntry {
  readonly plugin: string;
  /** the plugin's title (the group's heading); null when its folder is gone from the server */
  readonly pluginTitle: LocalisedText | null;
  readonly key: string;
  readonly title: LocalisedText;
  /** the app's route, with its query (`/start?process=cc_case`) */
  readonly path: string;
  readonly icon: string | null;
  readonly order: number;
  readonly permission: string | null;
}

/** An entry the app shows: its title in the current language and where it leads. */
export interface PluginMenuItem {
  /** `<plugin>/<key>`: unique across plugins */
  readonly id: string;
  /** `plugin:<plugin>/<key>`, its el-menu index: never the path an entry of the app's own has as its index */
  readonly menuIndex: string;
  readonly plugin: string;
  readonly key: string;
  readonly title: string;
  /** the manifest's path, what a click opens */
  readonly path: string;
  /** the path as the router writes it (the query normalised): compared with the current route's `fullPath` */
  readonly fullPath: string;
}

/** One plugin's entries under its title, in the manifest's order. */
export interface PluginMenuGroup {
  readonly plugin: string;
  readonly title: string;
  readonly items: readonly PluginMenuItem[];
}

/**
 * Why an app does not show an entry: `no-page` — the path leads to no page of this app (its 404);
 * `query` — the page does not honour a query parameter the path carries (it would open unfiltered,
 * not what the entry says); `permission` — the page needs a permission the user lacks (the click
 * would end on the 403 page).
 */
export type Unopenable = 'no-page' | 'query' | 'permission';

/** The route meta this module reads; each app declares them on vue-router's RouteMeta. */
interface TargetMeta {
  readonly permission?: string | readonly string[];
  /** the query parameters the page reads (`['process']`): a menu entry may carry only these */
  readonly acceptsQuery?: readonly string[];
}

/** The route names of @yiwang/web-kit/router's `refusalRoutes`: a path ending there opens no page. */
const REFUSALS = new Set(['not-found', 'forbidden']);
/** redirects followed before giving up (a record redirecting to another that redirects) */
const MAX_REDIRECTS = 3;

/** The page a path opens in the app, following its routes' plain redirects (`/inbox` → `/inbox/todo`). */
function pageOf(router: Router, path: string): RouteLocationResolved {
  let target = router.resolve(path);
  for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
    const redirect = target.matched[target.matched.length - 1]?.redirect;
    if (typeof redirect !== 'string') break;
    target = router.resolve({ path: redirect, query: target.query, hash: target.hash });
  }
  return target;
}

/** Whether the app can open the path for a user holding what `may` admits; null: it can. */
export function unopenable(router: Router, path: string, may: (permission: string | readonly string[] | undefined) => boolean): Unopenable | null {
  const target = pageOf(router, path);
  const page = target.matched[target.matched.length - 1];
  if (!page || page.redirect !== undefined || (typeof target.name === 'string' && REFUSALS.has(target.name))) return 'no-page';
  const meta = target.meta as TargetMeta;
  const accepted = meta.acceptsQuery ?? [];
  if (Object.keys(target.query).some((name) => !accepted.includes(name))) return 'query';
  if (!may(meta.permission)) return 'permission';
  return null;
}

const textOf = (text: LocalisedText, locale: MenuLocale): string => text[locale] || text['zh-CN'];

/**
 * The navigation's plugin groups: the entries the app can open, one group per plugin headed by its
 * title, groups in the order of their first entry and entries by `order` (the manifests' numbers,
 * as the server sorts them; sorted again here so the groups never depend on the answer's order).
 */
export function groupPluginMenus(
  entries: readonly PluginMenuEntry[],
  options: { readonly router: Router; readonly locale: MenuLocale; readonly may: (permission: string | readonly string[] | undefined) => boolean },
): PluginMenuGroup[] {
  const groups = new Map<string, { plugin: string; title: string; items: PluginMenuItem[] }>();
  const ordered = [...entries].sort((a, b) => a.order - b.order || a.plugin.localeCompare(b.plugin) || a.key.localeCompare(b.key));
  for (const entry of ordered) {
    if (unopenable(options.router, entry.path, options.may) !== null) continue;
    let group = groups.get(entry.plugin);
    if (!group) {
      group = { plugin: entry.plugin, title: entry.pluginTitle ? textOf(entry.pluginTitle, options.locale) : entry.plugin, items: [] };
      groups.set(entry.plugin, group);
    }
    group.items.push({
      id: `${entry.plugin}/${entry.key}`, menuIndex: `plugin:${entry.plugin}/${entry.key}`, plugin: entry.plugin, key: entry.key, title: textOf(entry.title, options.locale), path: entry.path,
      fullPath: options.router.resolve(entry.path).fullPath,
    });
  }
  return [...groups.values()];
}

/** The plugin entry the current page is (its path and query exactly), if any. */
export function currentPluginItem(groups: readonly PluginMenuGroup[], route: Pick<RouteLocationNormalizedLoaded, 'fullPath'>): PluginMenuItem | undefined {
  for (const group of groups) {
    const found = group.items.find((item) => item.fullPath === route.fullPath);
    if (found) return found;
  }
  return undefined;
}
