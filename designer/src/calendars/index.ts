/** The working calendar deadlines are counted on: weekly rule and hours, a year's holidays and make-up days, the due-time preview. */
import { Calendar } from '@element-plus/icons-vue';
import { markRaw } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { en, zhCN } from './locales';

export const routes: RouteRecordRaw[] = [
  {
    path: '/calendars', name: 'calendars', component: () => import('./CalendarPage.vue'),
    meta: { title: 'cal.menu.calendars', section: 'designer', icon: markRaw(Calendar), order: 40, permission: 'menu:designer:calendar' },
  },
];

export const messages = { 'zh-CN': { cal: zhCN }, en: { cal: en } };
