import { computed, shallowRef } from 'vue';
import { logout, me, type Profile } from './auth.js';
import { clearTokens, readTokens, storeTokens, type SignedIn } from './tokens.js';

const profile = shallowRef<Profile | null>(null);

/** Who is signed in, as GET /api/auth/me answered; null before sign-in. */
export const currentUser = computed(() => profile.value);

export const isSignedIn = (): boolean => readTokens() !== null;

/** Whether the signed-in user holds a permission (any of several). */
export function hasPermission(permission: string | readonly string[] | undefined): boolean {
  if (permission === undefined) return true;
  const held = profile.value?.permissions ?? [];
  const wanted = typeof permission === 'string' ? [permission] : permission;
  // '*' is the platform administrator's: every permission, as the server reads it (identity/access.ts)
  return wanted.length === 0 || held.includes('*') || wanted.some((entry) => held.includes(entry));
}

const signedInHandlers: (() => void)[] = [];

/** Something to do at every sign-in before the profile loads (the designer forgets the previous user's tabs). */
export function onSignedIn(handler: () => void): void {
  signedInHandlers.push(handler);
}

/** Keeps the tokens of a sign-in and loads the profile. */
export async function startSession(signedIn: SignedIn): Promise<Profile> {
  storeTokens(signedIn);
  for (const handler of signedInHandlers) handler();
  return loadProfile();
}

export async function loadProfile(): Promise<Profile> {
  profile.value = await me();
  return profile.value;
}

/** Ends the session on the server (when it still answers) and here. */
export async function endSession(): Promise<void> {
  if (readTokens()) await logout().catch(() => undefined);
  forgetSession();
}

/** Forgets the session here only (the server already refused it). */
export function forgetSession(): void {
  clearTokens();
  profile.value = null;
}

/** `hasPermission` under the name the pages use: `can('user:write')`. */
export const can = hasPermission;
