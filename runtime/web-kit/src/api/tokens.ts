/** What POST /api/auth/login and /api/auth/refresh answer. */
export interface SignedIn {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
  readonly mustChangePassword: boolean;
  readonly passwordExpired: boolean;
  readonly user: { readonly id: string; readonly displayName: string; readonly tenantId: string };
}

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

// one session for every staff app on the origin: the designer and the staff app
const STORAGE_KEY = 'yiwang.tokens';

/** The session's tokens, kept in localStorage so a reload stays signed in. */
export function readTokens(): Tokens | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Tokens> | null;
    return stored && typeof stored.accessToken === 'string' && typeof stored.refreshToken === 'string'
      ? { accessToken: stored.accessToken, refreshToken: stored.refreshToken }
      : null;
  } catch {
    return null;
  }
}

export function storeTokens(signedIn: Tokens): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken: signedIn.accessToken, refreshToken: signedIn.refreshToken }));
}

export function clearTokens(): void {
  localStorage.removeItem(STORAGE_KEY);
}
