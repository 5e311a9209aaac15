/**
 * The apps' end-to-end harness: a real engine server (its own code, through tsx) on a fresh SQLite
 * database in a temp dir, serving the built apps (each package's test script runs `vite build`
 * first), and Debian's Chromium driven by playwright-core.
 *
 *   const apps = useApps({ app: 'designer', artifacts });   // in a describe: starts before, closes after
 *   it('…', async () => {
 *     const { page } = apps();
 *     await apps().signIn('admin', ADMIN_PASSWORD);
 *     await apps().screenshot('home');          // <artifacts>/<suite>/<n>-home.png
 *   });
 *
 * Every test fails on a browser console error (`allowConsoleErrors(/…/)` for one the test provokes,
 * such as the 401 of a wrong password); a failing test leaves a FAILED screenshot.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { APP_BUILDS, startServer, type PlatformServer, type WebAppName } from '../../../../engine/src/api/index.js';
import { startIdentity } from '../../../../engine/src/identity/index.js';
import { silentLogger } from '../../../../engine/src/logging/index.js';
import { discoverPlugins } from '../../../../engine/src/plugins/index.js';
import { DEFAULT_SEEDS_DIRECTORY, loadSeeds } from '../../../../engine/src/seeds/index.js';
import { ProcessEngine } from '../../../../engine/src/services/index.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** the platform administrator `admin` signs in with this */
export const ADMIN_PASSWORD = 'Designer-Test-Passw0rd';
/** the Liuzhou demo users (`lz.receptionist`, `lz.dispatcher`, …) sign in with this when `seeds` is on */
export const DEMO_PASSWORD = 'Demo-Test-Passw0rd!';
/**
 * The builds the server serves: the repository's, or a private `vite build --outDir` named by
 * `YIWANG_DESIGNER_DIST`, `YIWANG_RUNTIME_DIST` or `YIWANG_PUBLIC_DIST`, so a run in a shared tree
 * is not hit by another's rebuild.
 */
const BUILDS: Readonly<Record<WebAppName, string>> = {
  designer: process.env.YIWANG_DESIGNER_DIST ?? APP_BUILDS.designer,
  runtime: process.env.YIWANG_RUNTIME_DIST ?? APP_BUILDS.runtime,
  public: process.env.YIWANG_PUBLIC_DIST ?? APP_BUILDS.public,
};

export interface AppsOptions {
  /** the app under test: it must be built; `signIn` uses its login page */
  readonly app: WebAppName;
  /** the folder under which each suite's screenshots go (`<package>/test-artifacts/`) */
  readonly artifacts: string;
  /** a name for the screenshots' folder; default the describe's title */
  readonly name?: string;
  /** load the Liuzhou template (tenants, organisation, demo users with DEMO_PASSWORD, dictionaries); default false */
  readonly seeds?: boolean;
  /**
   * with `seeds`: also install the plugins `tenants.json` names (柳州市's command-coordination and
   * public-service) from the repository's plugins/, as the engine's first start does — their
   * processes, dictionaries, menu entries, and their roles' permissions merged into the seeded
   * roles; default false (the other suites run on the bare organisation)
   */
  readonly plugins?: boolean;
  /** run the job executor (timers, async continuations); default false */
  readonly jobExecutor?: boolean;
  /** the first page's browser context (viewport, locale); default 1280×900, zh-CN */
  readonly context?: BrowserContextOptions;
}

export interface Apps {
  /** `http://127.0.0.1:<port>`: the apps are at `${origin}/designer/`, `/runtime/`, `/public/` */
  readonly origin: string;
  /** `${origin}/<app>` of the app under test */
  readonly baseUrl: string;
  /** the first page; `openPage` opens more */
  readonly page: Page;
  readonly browser: Browser;
  /** the engine behind the server, for fixtures a test needs */
  readonly engine: ProcessEngine;
  /** signs in through the app's login page (of `page` unless another is given) and waits for its layout */
  signIn(user: string, password: string, page?: Page): Promise<void>;
  /** saves a screenshot as <artifacts>/<name>/<n>-<step>.png */
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
export async function startApps(options: AppsOptions): Promise<Apps> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium fonts-noto-cjk\` (CI does it in .ci/run) or set CHROMIUM_PATH`);
  }
  const build = BUILDS[options.app];
  if (!existsSync(join(build, 'index.html'))) throw new Error(`the ${options.app} app is not built (${build}): build it first (its package's npm test does)`);
  const folder = (options.name ?? options.app).replace(/[^\p{L}\p{N}._-]+/gu, '-');
  const artifacts = join(options.artifacts, folder);
  // this suite's screenshots of an earlier run go: what is there is this run's
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });

  const dir = await mkdtemp(join(tmpdir(), `yiwang-${options.app}-`));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const engine = await ProcessEngine.open({ database: { dialect: 'sqlite', location: join(dir, 'engine.sqlite') }, jobExecutorActivate: options.jobExecutor ?? false });
    cleanups.push(() => engine.close());
    const identity = await startIdentity(engine, { adminPassword: ADMIN_PASSWORD, announce: () => undefined, logger: silentLogger() });
    if (options.seeds) {
      await loadSeeds(engine, {
        directory: DEFAULT_SEEDS_DIRECTORY, demoPassword: DEMO_PASSWORD, announce: () => undefined, firstTimeOnly: true, plugins: options.plugins ? discoverPlugins() : undefined,
      });
    }
    const server: PlatformServer = await startServer({ engine, logger: silentLogger(), port: 0, host: '127.0.0.1', version: '0.0.0-test', ...identity, timeZone: 'Asia/Shanghai', apps: BUILDS });
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

    const adminApi: Apps['adminApi'] = async (path, init = {}) => {
      adminAuthorization ??= `Bearer ${(await identity.authentication.login('admin', ADMIN_PASSWORD, null)).accessToken}`;
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const response = await fetch(`${origin}${path}`, {
        method,
        headers: { Authorization: adminAuthorization, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    };

    return {
      origin,
      baseUrl: `${origin}/${options.app}`,
      page,
      browser,
      engine,
      async signIn(user, password, on = page) {
        await on.goto(`${origin}/${options.app}/login`);
        await on.locator('input[name=username]').fill(user);
        await on.locator('input[name=password]').fill(password);
        await on.locator('[data-test=login-submit]').click();
        await on.waitForURL((url) => !url.pathname.startsWith(`/${options.app}/login`));
        await on.locator('[data-test=app-layout]').waitFor();
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
 * The apps for the tests of one describe: started before them, closed after; each test fails on
 * a console error, and a failed test leaves `FAILED-<title>.png`.
 */
export function useApps(options: AppsOptions): () => Apps {
  let apps: Apps | undefined;
  before(async function () {
    this.timeout(120_000);
    apps = await startApps({ name: options.name ?? this.test?.parent?.fullTitle(), ...options });
  });
  after(async () => apps?.close());
  afterEach(async function () {
    if (!apps) return;
    const test = this.currentTest;
    if (test?.state === 'failed') await apps.screenshot(`FAILED-${test.title}`).catch(() => undefined);
    const errors = apps.takeConsoleErrors();
    if (errors.length > 0 && test?.state !== 'failed') {
      throw new Error(`console errors during "${test?.title}":\n${errors.join('\n')}`);
    }
  });
  return () => {
    if (!apps) throw new Error('the apps have not started (useApps() must be called in a describe)');
    return apps;
  };
}
