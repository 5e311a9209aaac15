import { AdminAccount, startServer, type PlatformServer } from '../api/index.js';
import { silentLogger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';

export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface RestClient {
  readonly server: PlatformServer;
  readonly baseUrl: string;
  /** a request to `/engine-rest<path>` as the admin; a plain object body is sent as JSON */
  request(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: string | null }): Promise<Response>;
  /** the JSON answer of a request that must succeed with `status` */
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown }, status?: number): Promise<T>;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The platform's HTTP server on a free port, with the admin account set to TEST_ADMIN_PASSWORD. */
export async function startRestServer(engine: ProcessEngine, timeZone = 'Asia/Shanghai'): Promise<RestClient> {
  const authenticator = await AdminAccount.ensure(engine, TEST_ADMIN_PASSWORD, () => undefined);
  const server = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '0.0.0-test', authenticator, timeZone });
  const baseUrl = `http://127.0.0.1:${server.port}/engine-rest`;
  const request: RestClient['request'] = (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.auth !== null) headers.Authorization = init.auth ?? basicAuth('admin', TEST_ADMIN_PASSWORD);
    let body: RequestInit['body'];
    if (typeof init.body === 'string' || init.body instanceof FormData) body = init.body;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    return fetch(`${baseUrl}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body });
  };
  return {
    server,
    baseUrl,
    request,
    async json(path, init, status = 200) {
      const response = await request(path, init);
      const text = await response.text();
      if (response.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}, expected ${status}: ${text}`);
      return JSON.parse(text);
    },
  };
}
