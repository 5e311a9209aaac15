import { computed, type Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { hasPermission } from '@yiwang/web-kit/api';
import { pageRoutes } from './router.js';

export interface MenuEntry {
  readonly path: string;
  readonly title: string;
  readonly icon?: Component;
}

/** The menu: the routes with `meta.menuOrder` the signed-in user may open (their `menu:runtime:*` and other permissions). */
export const menuEntries = computed<MenuEntry[]>(() =>
  pageRoutes
    .filter((route): route is RouteRecordRaw & { meta: { menuOrder: number; title: string } } => route.meta?.menuOrder !== undefined && route.meta.title !== undefined)
    .filter((route) => hasPermission(route.meta.permission))
    .sort((a, b) => a.meta.menuOrder - b.meta.menuOrder)
    .map((route) => ({ path: route.meta.menuPath ?? route.path, title: route.meta.title, icon: route.meta.icon })),
);

/** The menu entry a route belongs to: its own, or the one it names as `activeMenu`. */
export function activeEntry(path: string, meta: { activeMenu?: string; menuPath?: string }): string {
  return meta.activeMenu ?? meta.menuPath ?? path;
}
