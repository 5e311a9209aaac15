import { ref } from 'vue';
import { http } from '@yiwang/web-kit/api';

/** The unread messages' count for the badge: read every 30 s, on navigation and after a message is read. */
export const unreadCount = ref(0);

let inFlight: Promise<void> | null = null;

export function refreshUnread(): Promise<void> {
  inFlight ??= http
    .get<{ count: number }>('/notifications/count', { unread: true }, { quiet: true })
    .then((answer) => { unreadCount.value = answer.count; })
    .catch(() => undefined)
    .finally(() => { inFlight = null; });
  return inFlight;
}
