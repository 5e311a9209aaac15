/** The message centre's engine calls: `/api/notifications` (+ count, read, read-all). */
import { http } from '@yiwang/web-kit/api';

export interface Notification {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string | null;
  readonly processInstanceId: string | null;
  readonly taskId: string | null;
  readonly createTime: string;
  readonly readTime: string | null;
}

export const listNotifications = (unread: boolean | undefined, firstResult: number, maxResults: number) =>
  http.get<Notification[]>('/notifications', { unread, firstResult, maxResults });
export const countNotifications = (unread?: boolean) => http.get<{ count: number }>('/notifications/count', { unread });
export const markRead = (id: string) => http.post<void>(`/notifications/${encodeURIComponent(id)}/read`);
export const markAllRead = () => http.post<{ marked: number }>('/notifications/read-all');
