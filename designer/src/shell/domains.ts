import type { RouteRecordRaw } from 'vue-router';
import * as calendars from '../calendars/index.js';
import * as dictionaries from '../dictionaries/index.js';
import * as forms from '../forms/index.js';
import * as monitoring from '../monitoring/index.js';
import * as organisation from '../organisation/index.js';
import * as plugins from '../plugins/index.js';
import * as processes from '../processes/index.js';
import type { DomainMessages } from './i18n.js';

/**
 * What a domain folder's `index.ts` exports: its pages as routes (absolute paths, rendered inside
 * the layout, `component: () => import('./XPage.vue')` so each page is its own chunk) and, when it
 * has texts, its messages under its own top-level key. A route with `meta.section` and
 * `meta.title` is a menu entry; `meta.permission` hides it (and refuses the page) for users
 * without that permission.
 */
export interface DomainModule {
  readonly routes: readonly RouteRecordRaw[];
  readonly messages?: DomainMessages;
}

export const DOMAINS: readonly DomainModule[] = [processes, forms, dictionaries, calendars, organisation, monitoring, plugins];
