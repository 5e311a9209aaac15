import type { Context } from 'koa';
import type { FormLanguage } from '../forms/index.js';

/** The language of messages for a request: English when the caller's `Accept-Language` prefers it, else Chinese. */
export function formLanguage(ctx: Context): FormLanguage {
  return ctx.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
}
