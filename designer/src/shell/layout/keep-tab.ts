/**
 * Open tabs keep their pages: `<keep-alive>` caches by component name, and pages of other domains
 * carry no names, so each open tab's page is wrapped in a component named after the tab's path.
 * The wrapper also gives its page a route of its own that stands still while the tab is in the
 * background (`useRoute()` in the page): a cached page watching `route.query` does not reload
 * with another page's query.
 */
import { computed, defineComponent, provide, reactive, shallowRef, watch, type Component } from 'vue';
import { routeLocationKey, useRouter, type RouteLocationNormalizedLoaded } from 'vue-router';

const wrappers = new Map<string, Component>();

/** the keep-alive name of a tab's page */
export function keepName(path: string): string {
  return `tab:${path}`;
}

/** The wrapper of the page at `path`, one per path (its slot holds the page). */
export function keepTab(path: string): Component {
  let wrapper = wrappers.get(path);
  if (!wrapper) {
    wrapper = defineComponent({
      name: keepName(path),
      setup(_, { slots }) {
        const router = useRouter();
        const shown = shallowRef<RouteLocationNormalizedLoaded>(router.currentRoute.value);
        watch(router.currentRoute, (route) => {
          if (route.path === path) shown.value = route;
        });
        const keys = Object.keys(shown.value) as (keyof RouteLocationNormalizedLoaded)[];
        provide(routeLocationKey, reactive(Object.fromEntries(keys.map((key) => [key, computed(() => shown.value[key])]))) as unknown as RouteLocationNormalizedLoaded);
        return () => slots.default?.();
      },
    });
    wrappers.set(path, wrapper);
  }
  return wrapper;
}

/** Forgets the wrappers of closed tabs (their cached pages go with `include`). */
export function forgetClosed(open: readonly string[]): void {
  for (const path of wrappers.keys()) if (!open.includes(path)) wrappers.delete(path);
}
