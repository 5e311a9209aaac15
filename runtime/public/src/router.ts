/**
 * A tiny history-mode switch instead of vue-router (two pages; the engine serves index.html for
 * every path under /public/):
 *
 *   /public/?tenant=450200      the report page of a tenant (the QR code / WeChat menu link)
 *   /public/t/450200            the same, a shorter link
 *   /public/track[/:code]       the status page
 *
 * The tenant named last is kept for the session, so the status page's links lead back to it.
 */
import { reactive } from 'vue';

export type PageName = 'report' | 'track';

export interface Route {
  page: PageName;
  /** the tracking code of /track/:code */
  code: string | null;
  tenant: string | null;
}

const BASE = import.meta.env.BASE_URL.replace(/\/$/, ''); // '/public'
const TENANT_KEY = 'yiwang.public.tenant';

function remembered(): string | null {
  try {
    return sessionStorage.getItem(TENANT_KEY);
  } catch {
    return null;
  }
}

function parse(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let tenant = new URLSearchParams(location.search).get('tenant');
  if (segments[0] === 't' && segments[1]) tenant = segments[1];
  if (tenant) {
    try {
      sessionStorage.setItem(TENANT_KEY, tenant);
    } catch {
      // not kept
    }
  }
  tenant ??= remembered();
  if (segments[0] === 'track') return { page: 'track', code: segments[1] ?? null, tenant };
  return { page: 'report', code: null, tenant };
}

export const route = reactive<Route>(parse());

function update(): void {
  Object.assign(route, parse());
}

window.addEventListener('popstate', update);

/** The link of a page, the tenant kept on the report page's. */
export function href(page: PageName, code?: string): string {
  if (page === 'track') return `${BASE}/track${code ? `/${encodeURIComponent(code)}` : ''}`;
  return `${BASE}/${route.tenant ? `?tenant=${encodeURIComponent(route.tenant)}` : ''}`;
}

export function navigate(page: PageName, code?: string, replace = false): void {
  const target = href(page, code);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  update();
  window.scrollTo(0, 0);
}

/** For `<a :href @click>`: a plain click stays in the page; modified clicks open a tab as usual. */
export function follow(event: MouseEvent, page: PageName, code?: string): void {
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(page, code);
}
