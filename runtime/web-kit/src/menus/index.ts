/**
 * The plugins' menu entries in the staff apps' navigation (`GET /api/menus`), written once for the
 * designer and the staff app: loaded after sign-in through the session's HTTP client, kept here for
 * the layout's menus, forgotten at the next sign-in, and shown only where the app can open them
 * (`entries.ts`), with titles in the current language.
 */
import { computed, shallowRef, type ComputedRef } from 'vue';
import type { Router } from 'vue-router';
import { hasPermission, http, onSignedIn } from '../api/index.js';
import { currentLocale } from '../i18n/index.js';
import { groupPluginMenus, type MenuApp, type PluginMenuEntry, type PluginMenuGroup } from './entries.js';

export * from './entries.js';

const entries = shallowRef<readonly PluginMenuEntry[]>([]);
const loaded = shallowRef(false);
/** whether the signed-in user's entries have been answered (or failed): the layouts mark their menu with it, for tests to wait on */
export const pluginMenusLoaded = computed(() => loaded.value);
/** bumped by every load and sign-in: an answer for an earlier one is dropped */
let generation = 0;

/** `GET /api/menus?app=`: the entries the server lets the signed-in user see. */
export const fetchPluginMenus = (app: MenuApp): Promise<PluginMenuEntry[]> => http.get<PluginMenuEntry[]>('/menus', { app });

/**
 * Loads the signed-in user's plugin entries of the app (the layout calls it once it is shown, i.e.
 * after sign-in and on every page load: a plugin disabled meanwhile is gone then). A failure is shown
 * by the HTTP client and leaves the menu without plugin entries; the app's own pages stay usable.
 */
export async function loadPluginMenus(app: MenuApp): Promise<void> {
  const mine = ++generation;
  try {
    const answer = await fetchPluginMenus(app);
    if (mine === generation) entries.value = answer;
  } catch {
    if (mine === generation) entries.value = [];
  } finally {
    if (mine === generation) loaded.value = true;
  }
}

// the previous user's entries never show to the next one, even for the moment before the load answers
onSignedIn(() => {
  generation++;
  entries.value = [];
  loaded.value = false;
});

/** The groups the app's navigation shows: follows the language switch and the user's permissions. */
export function usePluginMenus(router: Router): ComputedRef<PluginMenuGroup[]> {
  return computed(() => groupPluginMenus(entries.value, { router, locale: currentLocale.value, may: hasPermission }));
}
