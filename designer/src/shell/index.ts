/** What the domain folders use from the shell. */
export { default as PagedTable } from './components/PagedTable.vue';
export { addMessages, currentLocale, i18n, setLocale, t, type DomainMessages, type Locale } from './i18n.js';
export type { MenuSection } from './route-meta.js';
export { can, currentUser, hasPermission } from '../api/index.js';
