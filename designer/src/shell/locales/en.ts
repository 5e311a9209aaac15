import type zhCN from './zh-CN.js';

/** The shell's texts in English; typed by the Chinese ones so no key is missing. */
const en: typeof zhCN = {
  app: { name: 'Yiwang', subtitle: 'Designer', title: 'Yiwang · Designer' },
  menu: {
    home: 'Home',
    designer: 'Designer',
    org: 'Organisation',
    monitoring: 'Monitoring',
    system: 'System',
    plugins: 'Plugins',
    statistics: 'Statistics',
    toggle: 'Collapse or expand the menu',
  },
  tabs: { close: 'Close', closeOthers: 'Close others', closeAll: 'Close all' },
  layout: { language: 'Language', tenant: 'Tenant' },
  home: {
    welcome: 'Welcome, {name}',
    user: 'User',
    userId: 'User id',
    tenant: 'Tenant',
    tenantLevel: 'Tenant level',
    departments: 'Departments',
    roles: 'Roles',
    dataScope: 'Data scope',
    none: 'none',
    permissions: 'Permissions',
  },
  placeholder: {
    statistics: 'Statistics are not available yet: they arrive with the statistics issue. This page shows no data.',
    notYet: 'Not available yet',
  },
  table: { total: '{total} in all', loading: 'Loading…', empty: 'No data', refresh: 'Refresh' },
  errors: {
    forbidden: 'You may not open this page',
    notFound: 'No such page',
    backHome: 'Back to the home page',
  },
  common: { ok: 'OK', cancel: 'Cancel', save: 'Save', search: 'Search', reset: 'Reset', actions: 'Actions' },
};

export default en;
