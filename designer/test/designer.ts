/**
 * The designer's end-to-end harness: a real engine server (its own code, through tsx) on a fresh
 * SQLite database in a temp dir, serving the built designer (designer/dist: the test script runs
 * `vite build` first), and Debian's Chromium driven by playwright-core.
 *
 *   const designer = useDesigner();             // in a describe: starts before, closes after
 *   it('…', async () => {
 *     const { page } = designer();
 *     await designer().signIn('admin', ADMIN_PASSWORD);
 *     await designer().screenshot('home');      // designer/test-artifacts/<suite>/<n>-home.png
 *   });
 *
 * Every test fails on a browser console error (`allowConsoleErrors(/…/)` for one the test provokes,
 * such as the 401 of a wrong password); a failing test leaves a FAILED screenshot.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startServer, type PlatformServer } from '../../engine/src/api/index.js';
import { startIdentity } from '../../engine/src/identity/index.js';
import { silentLogger } from '../../engine/src/logging/index.js';
import { ProcessEngine } from '../../engine/src/services/index.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** the platform administrator `admin` signs in with this */
export const ADMIN_PASSWORD = 'Designer-Test-Passw0rd';
export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
/** the build the server serves: designer/dist, or `YIWANG_DESIGNER_DIST` (a private `vite build --outDir`, so a run in a shared tree is not hit by another's rebuild) */
const DIST = process.env.YIWANG_DESIGNER_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url));

export interface DesignerOptions {
  /** a name for the screenshots' folder; default the describe's title */
  readonly name?: string;
  /** run the job executor (timers, async continuations); default false */
  readonly jobExecutor?: boolean;
  /** the first page's browser context (viewport, locale); default 1280×900, zh-CN */
  readonly context?: BrowserContextOptions;
}

export interface Designer {
  /** `http://127.0.0.1:<port>`: the app is at `${origin}/designer/` */
  readonly origin: string;
  /** `${origin}/designer` */
  readonly baseUrl: string;
  /** the first page; `openPage` opens more */
  readonly page: Page;
  readonly browser: Browser;
  /** the engine behind the server, for fixtures a test needs */
  readonly engine: ProcessEngine;
  /** signs in through the login page (of `page` unless another is given) and waits for the layout */
  signIn(user: string, password: string, page?: Page): Promise<void>;
  /** saves a screenshot as designer/test-artifacts/<name>/<n>-<step>.png */
  screenshot(step: string, page?: Page): Promise<string>;
  /** a new page in a new context (another viewport, another user), its console watched like the first */
  openPage(options?: BrowserContextOptions): Promise<Page>;
  /** a JSON call to the server as the platform administrator: fixtures through the real API */
  adminApi<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** console errors and page errors seen since the last `takeConsoleErrors`, minus the allowed ones */
  takeConsoleErrors(): string[];
  /** console errors matching this are expected until the end of the current test */
  allowConsoleErrors(pattern: RegExp): void;
  close(): Promise<void>;
}

/** Starts the server and the browser; `close()` stops both and removes the database. */
export async function startDesigner(options: DesignerOptions = {}): Promise<Designer> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium fonts-noto-cjk\` (CI does it in .ci/run) or set CHROMIUM_PATH`);
  }
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`the designer is not built (${DIST}): run \`npm run build -w @yiwang/designer\` (npm test does)`);
  const folder = (options.name ?? 'designer').replace(/[^\p{L}\p{N}._-]+/gu, '-');
  const artifacts = join(ARTIFACTS, folder);
  // this suite's screenshots of an earlier run go: what is there is this run's
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });

  const dir = await mkdtemp(join(tmpdir(), 'yiwang-designer-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const engine = await ProcessEngine.open({ database: { dialect: 'sqlite', location: join(dir, 'engine.sqlite') }, jobExecutorActivate: options.jobExecutor ?? false });
    cleanups.push(() => engine.close());
    const identity = await startIdentity(engine, { adminPassword: ADMIN_PASSWORD, announce: () => undefined, logger: silentLogger() });
    const server: PlatformServer = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '0.0.0-test', ...identity, timeZone: 'Asia/Shanghai', designer: DIST });
    cleanups.push(() => server.close());
    const origin = `http://127.0.0.1:${server.port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());

    let errors: string[] = [];
    let allowed: RegExp[] = [];
    const watch = (page: Page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      return page;
    };
    const contexts: BrowserContext[] = [];
    const openPage = async (contextOptions: BrowserContextOptions = {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', ...options.context, ...contextOptions });
      contexts.push(context);
      return watch(await context.newPage());
    };
    const page = await openPage();
    let shots = 0;
    let adminAuthorization: string | null = null;

    const adminApi: Designer['adminApi'] = async (path, init = {}) => {
      adminAuthorization ??= `Bearer ${(await identity.authentication.login('admin', ADMIN_PASSWORD, null)).accessToken}`;
      const response = await fetch(`${origin}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { Authorization: adminAuthorization, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    };

    return {
      origin,
      baseUrl: `${origin}/designer`,
      page,
      browser,
      engine,
      async signIn(user, password, on = page) {
        await on.goto(`${origin}/designer/login`);
        await on.locator('input[name=username]').fill(user);
        await on.locator('input[name=password]').fill(password);
        await on.locator('[data-test=login-submit]').click();
        await on.waitForURL((url) => !url.pathname.startsWith('/designer/login'));
        await on.locator('[data-test=side-menu]').or(on.locator('[data-test=menu-toggle]')).first().waitFor();
      },
      async screenshot(step, on = page) {
        shots += 1;
        const file = join(artifacts, `${String(shots).padStart(2, '0')}-${step.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.png`);
        await on.screenshot({ path: file, fullPage: true });
        return file;
      },
      openPage,
      adminApi,
      takeConsoleErrors() {
        const seen = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
        errors = [];
        allowed = [];
        return seen;
      },
      allowConsoleErrors(pattern) {
        allowed.push(pattern);
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * The designer for the tests of one describe: started before them, closed after; each test
 * fails on a console error, and a failed test leaves `FAILED-<title>.png`.
 */
export function useDesigner(options: DesignerOptions = {}): () => Designer {
  let designer: Designer | undefined;
  before(async function () {
    this.timeout(120_000);
    designer = await startDesigner({ name: options.name ?? this.test?.parent?.fullTitle(), ...options });
  });
  after(async () => designer?.close());
  afterEach(async function () {
    if (!designer) return;
    const test = this.currentTest;
    if (test?.state === 'failed') await designer.screenshot(`FAILED-${test.title}`).catch(() => undefined);
    const errors = designer.takeConsoleErrors();
    if (errors.length > 0 && test?.state !== 'failed') {
      throw new Error(`console errors during "${test?.title}":\n${errors.join('\n')}`);
    }
  });
  return () => {
    if (!designer) throw new Error('the designer has not started (useDesigner() must be called in a describe)');
    return designer;
  };
}
