import { api } from './client.js';
import type { SignedIn } from './tokens.js';

/** What GET /api/auth/me answers. */
export interface Profile {
  readonly id: string;
  readonly displayName: string;
  readonly tenant: { readonly id: string; readonly name: string; readonly level: string };
  readonly departments: readonly Reference[];
  readonly roles: readonly Reference[];
  readonly permissions: readonly string[];
  readonly dataScope: { readonly kind: string; readonly departmentIds?: readonly string[] };
  readonly passwordChangeRequired: boolean;
}

export interface Reference {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

export const login = (username: string, password: string) =>
  api.post<SignedIn>('/api/auth/login', { username, password }, { anonymous: true, quiet: true });

export const logout = () => api.post<void>('/api/auth/logout', undefined, { quiet: true });

export const me = () => api.get<Profile>('/api/auth/me');

export const changePassword = (currentPassword: string, newPassword: string) =>
  api.post<void>('/api/auth/password', { currentPassword, newPassword }, { quiet: true });
