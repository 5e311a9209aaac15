/**
 * The organisation: tenants, departments, posts, users (with the import), roles, user groups and
 * API keys. Each page is its own chunk; its menu entry shows with its `menu:org:*` permission.
 */
import { Connection, Key, OfficeBuilding, Postcard, School, User, UserFilled } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales';

export const routes: RouteRecordRaw[] = [
  {
    path: '/org/tenants', name: 'org-tenants', component: () => import('./TenantsPage.vue'),
    meta: { title: 'org.menu.tenants', section: 'org', icon: markRaw(School), order: 10, permission: 'menu:org:tenant' },
  },
  {
    path: '/org/departments', name: 'org-departments', component: () => import('./DepartmentsPage.vue'),
    meta: { title: 'org.menu.departments', section: 'org', icon: markRaw(OfficeBuilding), order: 20, permission: 'menu:org:department' },
  },
  {
    path: '/org/posts', name: 'org-posts', component: () => import('./PostsPage.vue'),
    meta: { title: 'org.menu.posts', section: 'org', icon: markRaw(Postcard), order: 30, permission: 'menu:org:post' },
  },
  {
    path: '/org/users', name: 'org-users', component: () => import('./UsersPage.vue'),
    meta: { title: 'org.menu.users', section: 'org', icon: markRaw(User), order: 40, permission: 'menu:org:user' },
  },
  {
    path: '/org/roles', name: 'org-roles', component: () => import('./RolesPage.vue'),
    meta: { title: 'org.menu.roles', section: 'org', icon: markRaw(UserFilled), order: 50, permission: 'menu:org:role' },
  },
  {
    path: '/org/groups', name: 'org-groups', component: () => import('./GroupsPage.vue'),
    meta: { title: 'org.menu.groups', section: 'org', icon: markRaw(Connection), order: 60, permission: 'menu:org:group' },
  },
  {
    path: '/org/api-keys', name: 'org-api-keys', component: () => import('./ApiKeysPage.vue'),
    meta: { title: 'org.menu.apiKeys', section: 'org', icon: markRaw(Key), order: 70, permission: 'menu:org:api-key' },
  },
];

export const messages = { 'zh-CN': { org: zhCN }, en: { org: en } };
