import type { Component } from 'vue';
import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's title: menu entry and document title */
    title?: string;
    /** listed in the menu (side menu on a desktop, tab bar on a phone), lowest first */
    menuOrder?: number;
    /** where the menu entry leads when the route's path has parameters (`/inbox/todo` for `/inbox/:tab`) */
    menuPath?: string;
    /** the menu entry's icon (from @element-plus/icons-vue) */
    icon?: Component;
    /** the permission needed to see the page (any of a list), e.g. `menu:runtime:inbox` */
    permission?: string | readonly string[];
    /** the login page: reachable without a session */
    public?: boolean;
    /** the menu entry to highlight on a detail page (its path) */
    activeMenu?: string;
    /** the query parameters the page reads (`['process']`): a plugin's menu entry naming the page may carry only these (@yiwang/web-kit/menus) */
    acceptsQuery?: readonly string[];
  }
}
