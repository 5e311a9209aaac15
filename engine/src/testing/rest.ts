import { startServer, type PlatformServer } from '../api/index.js';
import type { FileStorageConfig, PublicReportSettings } from '../config/index.js';
import { startIdentity, type Authentication, type AuthenticationSettings, type Identity, type Principals } from '../identity/index.js';
import { silentLogger } from '../logging/index.js';
import type { ProcessEngine } from '../services/index.js';
import { TEST_USER_PASSWORD } from './organisation.js';

export const TEST_ADMIN_PASSWORD = 'Test-Admin-Passw0rd';

export interface HttpClient {
  readonly baseUrl: string;
  /** the server's authentication: sign-in, sessions, API keys */
  readonly authentication: Authentication;
  /** the server's principal cache, which the admin routes clear when they change the organisation */
  readonly principals: Principals;
  /** a request to `<baseUrl><path>`, as the platform administrator unless `auth` says otherwise (null: no credentials); a plain object body is sent as JSON */
  request(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: string | null }): Promise<Response>;
  /** the JSON answer of a request that must succeed with `status` (a 204 answers undefined) */
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown; auth?: string | null }, status?: number): Promise<T>;
  /** signs a user in (default password: the organisation fixture's) and answers the `Authorization` header of their session */
  signIn(userId: string, password?: string): Promise<string>;
}

export interface RestClient extends HttpClient {
  readonly server: PlatformServer;
}

/** The body of an error answer, as the server's error handler writes it. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface TestServerOptions {
  /** the zone `/engine-rest` writes dates in; default Asia/Shanghai */
  readonly timeZone?: string;
  /** token lifetimes, lockout and password policy; default the platform's defaults */
  readonly settings?: AuthenticationSettings;
  /** the public reporting portal's limits and captcha; default: the defaults, no captcha */
  readonly publicReports?: PublicReportSettings;
  /** believe `X-Forwarded-For` (a reverse proxy in front); default false */
  readonly trustProxy?: boolean;
  /** where uploads go; default the database */
  readonly files?: FileStorageConfig;
}

/** The platform's HTTP server on a free port (`/engine-rest` and `/api`), with the platform administrator's password set to TEST_ADMIN_PASSWORD. */
async function startTestServer(engine: ProcessEngine, { timeZone = 'Asia/Shanghai', settings, publicReports, trustProxy, files }: TestServerOptions): Promise<{ server: PlatformServer; identity: Identity }> {
  const identity = await startIdentity(engine, { adminPassword: TEST_ADMIN_PASSWORD, announce: () => undefined, logger: silentLogger(), settings });
  const server = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '0.0.0-test', ...identity, timeZone, publicReports, trustProxy, files });
  return { server, identity };
}

/** `/engine-rest` of a test server. */
export async function startRestServer(engine: ProcessEngine, options: TestServerOptions = {}): Promise<RestClient> {
  const { server, identity } = await startTestServer(engine, options);
  return { server, ...httpClient(`http://127.0.0.1:${server.port}/engine-rest`, identity) };
}

export interface ApiClient extends HttpClient {
  close(): Promise<void>;
}

/** `/api` of a test server: every module's routes behind the real authenticator. */
export async function startApiServer(engine: ProcessEngine, options: TestServerOptions = {}): Promise<ApiClient> {
  const { server, identity } = await startTestServer(engine, options);
  return { ...httpClient(`http://127.0.0.1:${server.port}/api`, identity), close: () => server.close() };
}

/** `/api` and `/engine-rest` of one test server. */
export interface PlatformClients {
  readonly api: HttpClient;
  readonly rest: HttpClient;
  close(): Promise<void>;
}

/** One test server seen from both APIs: for tests that sign in or make keys on `/api` and use them on `/engine-rest`. */
export async function startPlatformServer(engine: ProcessEngine, options: TestServerOptions = {}): Promise<PlatformClients> {
  const { server, identity } = await startTestServer(engine, options);
  const origin = `http://127.0.0.1:${server.port}`;
  return { api: httpClient(`${origin}/api`, identity), rest: httpClient(`${origin}/engine-rest`, identity), close: () => server.close() };
}

function httpClient(baseUrl: string, { authentication, principals }: Identity): HttpClient {
  const request: HttpClient['request'] = (path, init = {}) => {
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
    baseUrl,
    authentication,
    principals,
    request,
    async json(path, init, status = 200) {
      const response = await request(path, init);
      const text = await response.text();
      if (response.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}, expected ${status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async signIn(userId, password = TEST_USER_PASSWORD) {
      const { accessToken } = await authentication.login(userId, password, '127.0.0.1');
      return `Bearer ${accessToken}`;
    },
  };
}
