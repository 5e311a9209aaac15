/**
 * The staff app's end-to-end harness: @yiwang/web-kit/testing's `useApps` for the runtime build
 * with the Liuzhou demo organisation, plus what the staff tests need: calls as a demo user, and
 * deployments (multipart) as the platform administrator.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions } from 'playwright-core';
import { ADMIN_PASSWORD, DEMO_PASSWORD, useApps, type Apps } from '@yiwang/web-kit/testing';

export { ADMIN_PASSWORD, DEMO_PASSWORD };
const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, 'fixtures');

export interface RuntimeApps extends Apps {
  /** a JSON call to the server as a demo user (fixtures and shortcuts through the real API) */
  userApi<T = unknown>(user: string, path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** deploys fixture files (BPMN and forms) as the administrator into a tenant; answers the deployment */
  deploy(files: readonly string[], tenantId?: string): Promise<{ id: string; deployedProcessDefinitions: Record<string, { id: string; key: string }> | null }>;
}

export function useRuntime(options: { name?: string; context?: BrowserContextOptions } = {}): () => RuntimeApps {
  const apps = useApps({ app: 'runtime', artifacts: join(here, '..', 'test-artifacts'), seeds: true, ...options });
  const tokens = new Map<string, string>();
  const tokenOf = async (origin: string, user: string, password: string) => {
    let token = tokens.get(`${origin} ${user}`);
    if (!token) {
      const response = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
      if (!response.ok) throw new Error(`login of ${user} answered ${response.status}: ${await response.text()}`);
      token = ((await response.json()) as { accessToken: string }).accessToken;
      tokens.set(`${origin} ${user}`, token);
    }
    return token;
  };
  return () => {
    const current = apps();
    return Object.assign(Object.create(current) as Apps, current, {
      async userApi<T>(user: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
        const token = await tokenOf(current.origin, user, DEMO_PASSWORD);
        const response = await fetch(`${current.origin}${path}`, {
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${init.method ?? (init.body === undefined ? 'GET' : 'POST')} ${path} as ${user} answered ${response.status}: ${text}`);
        return (text ? JSON.parse(text) : undefined) as T;
      },
      async deploy(files: readonly string[], tenantId?: string) {
        const token = await tokenOf(current.origin, 'admin', ADMIN_PASSWORD);
        const body = new FormData();
        body.append('deployment-name', 'staff-test');
        if (tenantId) body.append('tenant-id', tenantId);
        for (const file of files) body.append(file, new Blob([await readFile(join(FIXTURES, file))]), file);
        const response = await fetch(`${current.origin}/engine-rest/deployment/create`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body });
        const text = await response.text();
        if (!response.ok) throw new Error(`deploy answered ${response.status}: ${text}`);
        return JSON.parse(text);
      },
    }) as RuntimeApps;
  };
}
