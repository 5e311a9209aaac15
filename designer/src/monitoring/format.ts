/** Camunda's dates (`2026-11-24T08:00:00.000+0800`) as the reader's local date and time. */
export function formatTime(value: string | null | undefined, locale: string): string {
  if (!value) return '';
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

/** A duration in milliseconds as days, hours and minutes (seconds under a minute). */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  const zh = locale !== 'en';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return zh ? `${seconds} 秒` : `${seconds}s`;
  const minutes = Math.floor(seconds / 60) % 60;
  const hours = Math.floor(seconds / 3600) % 24;
  const days = Math.floor(seconds / 86400);
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days} 天` : `${days}d`);
  if (hours) parts.push(zh ? `${hours} 小时` : `${hours}h`);
  if (minutes || parts.length === 0) parts.push(zh ? `${minutes} 分` : `${minutes}m`);
  return parts.join(' ');
}
