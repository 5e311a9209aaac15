/** The shared i18n (@yiwang/web-kit) with the staff shell's texts added (each domain adds its own in its index.ts). */
import { addMessages } from '@yiwang/web-kit/i18n';
import en from './locales/en.js';
import zhCN from './locales/zh-CN.js';

addMessages({ 'zh-CN': zhCN, en });

export * from '@yiwang/web-kit/i18n';
