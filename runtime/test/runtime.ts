/**
 * The staff app's end-to-end harness: @yiwang/web-kit/testing's `useApps` for the runtime build
 * with the Liuzhou demo organisation, plus what the staff tests need: calls as a demo user, and
 * deployments (multipart) as the platform administrator.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, DEMO_PASSWORD, useApps, type Apps } from '@yiwang/web-kit/testing';

export { ADMIN_PASSWORD, DEMO_PASSWORD };
const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, 'fixtures');

export interface RuntimeApps extends Apps {
  /** a JSON call to the server as a demo user (fixtures and shortcuts through the real API) */
  userApi<T = unknown>(user: string, path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** deploys the test case process (case-loop.bpmn, its forms, the handling-outcome dictionary) into 柳州市 */
  deployCaseLoop(): Promise<void>;
  /** deploys fixture files (BPMN and forms) as the administrator into a tenant; answers the deployment */
  deploy(files: readonly string[], tenantId?: string): Promise<{ id: string; deployedProcessDefinitions: Record<string, { id: string; key: string }> | null }>;
}

/** `plugins`: the seeds' plugins installed as at the engine's first start (柳州市's command-coordination and public-service) */
export function useRuntime(options: { name?: string; context?: BrowserContextOptions; plugins?: boolean } = {}): () => RuntimeApps {
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
      async deployCaseLoop(this: RuntimeApps) {
        await this.deploy(CASE_LOOP_FILES, LIUZHOU);
        await this.adminApi('/api/dictionaries', {
          body: {
            code: 'handling-outcome', name: '处置结果',
            items: [{ code: 'fixed', label: '已处置完毕', labelEn: 'Fixed' }, { code: 'partly', label: '部分处置', labelEn: 'Partly fixed' }, { code: 'elsewhere', label: '非本部门职责', labelEn: 'Not ours' }],
          },
        });
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

/** The test case process standing in for the command-and-coordination plugin's (issue 10): 上报 → 受理 → 派遣 → 处置 → 核查 (fails: 返工) → 结案. */
export const CASE_LOOP_FILES = ['case-loop.bpmn', 'case-loop-report.form', 'case-loop-review.form', 'case-loop-handle.form', 'case-loop-verify.form'];

/** a small PNG (8×8, red): a "photo" for file inputs */
export const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC',
  'base64',
);
export const LIUZHOU = '450200';
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, geolocation: { longitude: 109.41553, latitude: 24.32547 }, permissions: ['geolocation'] };

/** picks, level by level, the options of a cascading dictionary field whose text contains each label */
export async function chooseCascade(field: Locator, labels: readonly string[]): Promise<void> {
  for (const [level, label] of labels.entries()) {
    const select = field.locator('select').nth(level);
    await select.waitFor();
    const deadline = Date.now() + 15_000;
    for (;;) {
      const texts = await select.locator('option').allTextContents();
      const index = texts.findIndex((text) => text.includes(label));
      if (index >= 0) {
        await select.selectOption({ index });
        break;
      }
      if (Date.now() > deadline) throw new Error(`no option "${label}" in level ${level}: ${texts.join(' | ')}`);
      await field.page().waitForTimeout(200);
    }
  }
}

export const formField = (page: Page, label: string) => page.locator('.fjs-form-field').filter({ has: page.locator('label', { hasText: label }) }).first();

export async function signOut(page: Page): Promise<void> {
  await page.evaluate(() => localStorage.clear());
}

export async function openInboxTab(page: Page, tab: string): Promise<void> {
  await page.locator(`[data-test=tab-${tab}]`).first().click();
  await page.waitForURL(`**/inbox/${tab}`);
  await page.locator('[data-test=inbox-table], [data-test=inbox-cards], [data-test=copy-table], [data-test=copy-cards]').first().waitFor();
}

export async function pressOperation(page: Page, operation: string): Promise<Locator> {
  await page.locator(`[data-test=op-${operation}]`).click();
  const dialog = page.locator('.el-dialog[data-test=operation-dialog]');
  await dialog.waitFor();
  return dialog;
}
