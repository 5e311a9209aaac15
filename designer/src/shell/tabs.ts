import { ref } from 'vue';
import type { RouteLocationNormalizedLoaded } from 'vue-router';
import { onSignedIn } from '../api/index.js';

export interface OpenTab {
  /** one tab per page path; the query of its last visit is kept in `fullPath` */
  readonly path: string;
  fullPath: string;
  /** i18n key */
  readonly title: string;
  readonly affix: boolean;
}

const HOME: OpenTab = { path: '/', fullPath: '/', title: 'menu.home', affix: true };

/** The tabs of open pages, home first and never closed. */
export const openTabs = ref<OpenTab[]>([{ ...HOME }]);

export function visit(route: RouteLocationNormalizedLoaded): void {
  if (route.meta.public || !route.meta.title || route.name === 'not-found' || route.name === 'forbidden') return;
  const open = openTabs.value.find((tab) => tab.path === route.path);
  if (open) open.fullPath = route.fullPath;
  else openTabs.value.push({ path: route.path, fullPath: route.fullPath, title: route.meta.title, affix: route.meta.affix ?? false });
}

/** Closes a tab; answers where to go when it was the current page (its right neighbour, else its left). */
export function closeTab(path: string, current: string): string | null {
  const index = openTabs.value.findIndex((tab) => tab.path === path);
  const tab = openTabs.value[index];
  if (!tab || tab.affix) return null;
  openTabs.value.splice(index, 1);
  if (path !== current) return null;
  return (openTabs.value[index] ?? openTabs.value[index - 1] ?? HOME).fullPath;
}

export function closeOtherTabs(keep: string): void {
  openTabs.value = openTabs.value.filter((tab) => tab.affix || tab.path === keep);
}

export function closeAllTabs(): void {
  openTabs.value = openTabs.value.filter((tab) => tab.affix);
}

/** After sign-out: nothing of the last user stays open. */
export function resetTabs(): void {
  openTabs.value = [{ ...HOME }];
}

// a new sign-in starts with the home tab alone, whoever used this browser before
onSignedIn(resetTabs);
