import { computed, type Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { hasPermission } from '../api/index.js';
import { MENU_SECTIONS, type MenuSection } from './route-meta.js';
import { pageRoutes } from './router.js';

export interface MenuEntry {
  readonly path: string;
  readonly title: string;
  readonly icon?: Component;
}

export interface MenuGroup {
  readonly section: MenuSection;
  /** i18n key of the section's title */
  readonly title: string;
  readonly entries: readonly MenuEntry[];
}

const listed = (route: RouteRecordRaw): route is RouteRecordRaw & { meta: { section: MenuSection; title: string } } =>
  route.meta?.section !== undefined && route.meta.title !== undefined && !route.path.includes(':');

/** The side menu: each section's pages the signed-in user may open (their `menu:*` and other permissions), sections without any left out. */
export const menuGroups = computed<MenuGroup[]>(() =>
  MENU_SECTIONS.map((section) => ({
    section,
    title: `menu.${section}`,
    entries: pageRoutes
      .filter(listed)
      .filter((route) => route.meta.section === section && hasPermission(route.meta.permission))
      .sort((a, b) => (a.meta.order ?? 50) - (b.meta.order ?? 50))
      .map((route) => ({ path: route.path, title: route.meta.title, icon: route.meta.icon })),
  })).filter((group) => group.entries.length > 0),
);

/** The section a page belongs to: its own, or that of the menu entry it highlights. */
export function sectionOf(meta: { section?: MenuSection; activeMenu?: string }): MenuSection | undefined {
  if (meta.section) return meta.section;
  if (!meta.activeMenu) return undefined;
  return pageRoutes.find((route) => route.path === meta.activeMenu)?.meta?.section;
}
