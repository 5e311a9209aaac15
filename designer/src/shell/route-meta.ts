import type { Component } from 'vue';
import 'vue-router';

/** The side menu's sections, in this order. */
export type MenuSection = 'designer' | 'org' | 'monitoring' | 'system';
export const MENU_SECTIONS: readonly MenuSection[] = ['designer', 'org', 'monitoring', 'system'];

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's title: menu entry, breadcrumb and tab */
    title?: string;
    /** the menu section the page is listed in; without it the page is not in the menu (detail pages) */
    section?: MenuSection;
    /** the menu entry's icon (from @element-plus/icons-vue) */
    icon?: Component;
    /** position within the section, lowest first */
    order?: number;
    /** the permission needed to see the page (any of a list), e.g. `menu:org:user` */
    permission?: string | readonly string[];
    /** the login page: reachable without a session */
    public?: boolean;
    /** the menu entry to highlight on a detail page (its path), e.g. `/processes` on `/processes/:id` */
    activeMenu?: string;
    /** the tab cannot be closed (home) */
    affix?: boolean;
    /** the query parameters the page reads (`['code']`): a plugin's menu entry naming the page may carry only these (@yiwang/web-kit/menus) */
    acceptsQuery?: readonly string[];
  }
}
