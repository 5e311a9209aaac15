import type { Principals } from '../identity/index.js';
import type { ProcessEngine } from '../services/index.js';
import { startApiServer, type TestServerOptions } from './rest.js';

export interface SignedInClient {
  /** the server's principal cache */
  readonly principals: Principals;
  /** where the server's `/api` answers, for a test that speaks HTTP itself */
  readonly baseUrl: string;
  /** a request to `/api<path>` as the user `as` (signed in with the organisation fixture's password), or without credentials when `as` is null; a FormData body is sent as multipart */
  request(path: string, init: { as: string | null; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** the JSON answer of a request that must succeed with `status` (200 by default) */
  json<T = unknown>(path: string, init: { as: string; method?: string; body?: unknown }, status?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * `/api` of a test server, for route tests that act as several users: each user signs in once
 * through the real login (their session is reused), so every request passes the real
 * authenticator, permission checks and scopes.
 */
export async function startSignedInApi(engine: ProcessEngine, options: TestServerOptions = {}): Promise<SignedInClient> {
  const api = await startApiServer(engine, options);
  const sessions = new Map<string, Promise<string>>();
  const authorization = (userId: string): Promise<string> => {
    let session = sessions.get(userId);
    if (!session) {
      session = api.signIn(userId);
      sessions.set(userId, session);
    }
    return session;
  };
  const request: SignedInClient['request'] = async (path, { as, method, body, headers }) => {
    if (as === null) return api.request(path, { method, body, headers, auth: null });
    const response = await api.request(path, { method, body, headers, auth: await authorization(as) });
    if (response.status !== 401) return response;
    // the test moved the engine's clock past the access token's lifetime: sign in again
    sessions.delete(as);
    return api.request(path, { method, body, headers, auth: await authorization(as) });
  };
  return {
    principals: api.principals,
    baseUrl: api.baseUrl,
    request,
    async json(path, init, status = 200) {
      const response = await request(path, init);
      const text = await response.text();
      if (response.status !== status) throw new Error(`${init.method ?? 'GET'} ${path} as ${init.as} answered ${response.status}, expected ${status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
    close: () => api.close(),
  };
}

/** The `message` of an error answer. */
export async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}
