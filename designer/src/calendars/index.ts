import type { RouteRecordRaw } from 'vue-router';

/** This area's pages: none yet (its owner replaces this file). */
export const routes: RouteRecordRaw[] = [];
