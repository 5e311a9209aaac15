import { hostname } from 'node:os';

export type EngineRestAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'none' };

export interface WorkerHostConfig {
  /** the `/engine-rest` root of yiwang, Camunda 7 or Operaton */
  readonly baseUrl: string;
  readonly auth: EngineRestAuth;
  readonly workerId: string;
  /** tasks fetched per request */
  readonly maxTasks: number;
  /** how long a fetched task stays locked for this host */
  readonly lockDuration: number;
  /** how long a fetch waits on the server for a task (long polling) */
  readonly asyncResponseTimeout: number;
  /** how long a failed task waits before it can be fetched again */
  readonly retryTimeout: number;
  /** how long shutdown waits for running handlers */
  readonly shutdownTimeout: number;
  /** pause between two fetches */
  readonly pollInterval: number;
}

/**
 * The worker host's settings from the environment: `ENGINE_REST_URL` (default the local server,
 * `http://localhost:${PORT || 3000}/engine-rest`), `ENGINE_REST_TOKEN` or `ENGINE_REST_USER` with
 * `ENGINE_REST_PASSWORD`, and the `WORKER_*` tuning variables.
 */
export function workerHostConfig(env: NodeJS.ProcessEnv = process.env): WorkerHostConfig {
  return {
    baseUrl: env.ENGINE_REST_URL || `http://localhost:${env.PORT || 3000}/engine-rest`,
    auth: engineRestAuth(env),
    workerId: env.WORKER_ID || `yiwang-workers-${hostname()}-${process.pid}`,
    maxTasks: positiveInteger(env, 'WORKER_MAX_TASKS', 10),
    lockDuration: positiveInteger(env, 'WORKER_LOCK_DURATION_MS', 60_000),
    asyncResponseTimeout: positiveInteger(env, 'WORKER_ASYNC_RESPONSE_TIMEOUT_MS', 20_000),
    retryTimeout: nonNegativeInteger(env, 'WORKER_RETRY_TIMEOUT_MS', 10_000),
    shutdownTimeout: nonNegativeInteger(env, 'WORKER_SHUTDOWN_TIMEOUT_MS', 30_000),
    pollInterval: nonNegativeInteger(env, 'WORKER_POLL_INTERVAL_MS', 300),
  };
}

function engineRestAuth(env: NodeJS.ProcessEnv): EngineRestAuth {
  const { ENGINE_REST_TOKEN: token, ENGINE_REST_USER: username, ENGINE_REST_PASSWORD: password } = env;
  if (token && (username || password)) throw new Error('set either ENGINE_REST_TOKEN or ENGINE_REST_USER and ENGINE_REST_PASSWORD, not both');
  if (token) return { kind: 'bearer', token };
  if (username && password) return { kind: 'basic', username, password };
  if (username || password) throw new Error('ENGINE_REST_USER and ENGINE_REST_PASSWORD go together: set both, or ENGINE_REST_TOKEN instead');
  return { kind: 'none' };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonNegativeInteger(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be a positive integer, got '0'`);
  return value;
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${text}'`);
  return value;
}
