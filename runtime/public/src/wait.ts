/** "Try again in 3 min (after 14:05)": a 429's wait in words, for the page's current language. */
import { t } from './i18n.js';

export function retryText(key: string, seconds: number | null): string {
  const wait = Math.max(1, seconds ?? 60);
  const after = new Date(Date.now() + wait * 1000);
  const time = `${String(after.getHours()).padStart(2, '0')}:${String(after.getMinutes()).padStart(2, '0')}${wait < 60 ? `:${String(after.getSeconds()).padStart(2, '0')}` : ''}`;
  const words = wait < 60 ? t('report.seconds', { count: wait }) : t('report.minutes', { count: Math.ceil(wait / 60) });
  return t(key, { wait: words, time });
}

/** A server time as the citizen reads it: 2025-03-01 14:05, in the phone's zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
