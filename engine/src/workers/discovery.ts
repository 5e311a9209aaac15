import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerHandler, WorkerTopic } from './handlers.js';

/** `<repo>/plugins`: src/workers and dist/workers both sit two levels below the repository root. */
export const DEFAULT_PLUGINS_DIR = fileURLToPath(new URL('../../../plugins/', import.meta.url));

const WORKER_MODULE = /^(?!.*\.(?:d|test)\.[jt]s$).+\.(?:ts|js)$/;

/** A plugin's worker module before it is loaded. */
export interface WorkerModuleFile {
  readonly plugin: string;
  readonly file: string;
}

/** A worker module that cannot be used, or two modules that claim one topic; the message names the files. */
export class WorkerModuleError extends Error {
  override readonly name = 'WorkerModuleError';
}

/**
 * The installed plugins' worker modules. Until the plugin mechanism installs plugins per tenant, the
 * installed plugins are the workspace packages under `pluginsDir` (folders with a `package.json`)
 * that have a `workers/` folder; this function is what that issue replaces.
 */
export function findWorkerModules(pluginsDir: string = DEFAULT_PLUGINS_DIR): WorkerModuleFile[] {
  if (!existsSync(pluginsDir)) return [];
  const modules: WorkerModuleFile[] = [];
  for (const entry of readdirSync(pluginsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const packageDir = path.join(pluginsDir, entry.name);
    const workersDir = path.join(packageDir, 'workers');
    if (!entry.isDirectory() || !existsSync(path.join(packageDir, 'package.json')) || !existsSync(workersDir)) continue;
    const plugin = packageName(packageDir) ?? entry.name;
    for (const file of readdirSync(workersDir).filter((name) => WORKER_MODULE.test(name)).sort()) {
      modules.push({ plugin, file: path.join(workersDir, file) });
    }
  }
  return modules;
}

/** A plugin and the worker modules its manifest declares (`contributes.workers`, relative to its folder). */
export interface DeclaredWorkers {
  readonly plugin: string;
  readonly dir: string;
  readonly workers: readonly string[];
}

/**
 * The worker modules the plugins declare, as files to load: the installed plugins' (the plugin
 * mechanism, `plugins/workers.ts`, says which are installed). A declared file that is no module
 * (a `.d.ts`, a test) is refused naming it.
 */
export function declaredWorkerModules(plugins: readonly DeclaredWorkers[]): WorkerModuleFile[] {
  return plugins.flatMap(({ plugin, dir, workers }) =>
    workers.map((relative) => {
      if (!WORKER_MODULE.test(path.basename(relative))) throw new WorkerModuleError(`${plugin} declares '${relative}' as a worker module: expected a .ts or .js module (not .d.ts, not a test)`);
      return { plugin, file: path.join(dir, relative) };
    }),
  );
}

/** Loads every module and indexes its handlers by topic; refuses bad exports and a topic claimed twice. */
export async function loadWorkerTopics(modules: readonly WorkerModuleFile[]): Promise<Map<string, WorkerTopic>> {
  const topics = new Map<string, WorkerTopic>();
  for (const module of modules) {
    for (const [topic, handler] of Object.entries(handlersOf(module.file, await importModule(module.file)))) {
      const claimed = topics.get(topic);
      if (claimed) {
        throw new WorkerModuleError(`topic '${topic}' is claimed twice: by ${claimed.plugin} (${claimed.file}) and by ${module.plugin} (${module.file})`);
      }
      topics.set(topic, { topic, handler, plugin: module.plugin, file: module.file });
    }
  }
  return topics;
}

/** The handlers of the installed plugins, by topic. */
export function discoverWorkerTopics(pluginsDir: string = DEFAULT_PLUGINS_DIR): Promise<Map<string, WorkerTopic>> {
  return loadWorkerTopics(findWorkerModules(pluginsDir));
}

function packageName(packageDir: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name?: unknown };
  return typeof manifest.name === 'string' ? manifest.name : undefined;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    try {
      return await import(url);
    } catch (error) {
      if (!file.endsWith('.ts') || (error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
      // plain Node.js 20 cannot load TypeScript (the built `yiwang workers`): tsx compiles it on the fly
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new WorkerModuleError(`cannot load worker module ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function handlersOf(file: string, exports: Record<string, unknown>): Record<string, WorkerHandler> {
  const handlers = exports.default ?? exports.handlers;
  const expected = `expected a default export (or an export named 'handlers') mapping topic names to handler functions, e.g. export default { 'my-topic': async ({ task, taskService }) => { ... } }`;
  if (handlers === null || typeof handlers !== 'object' || Array.isArray(handlers)) {
    throw new WorkerModuleError(`${file}: ${expected}; got ${describe(handlers)}`);
  }
  const entries = Object.entries(handlers);
  if (entries.length === 0) throw new WorkerModuleError(`${file}: ${expected}; got an empty object`);
  const notFunctions = entries.filter(([, handler]) => typeof handler !== 'function').map(([topic]) => `'${topic}'`);
  if (notFunctions.length > 0) throw new WorkerModuleError(`${file}: the handler of topic ${notFunctions.join(', ')} is not a function; ${expected}`);
  return handlers as Record<string, WorkerHandler>;
}

function describe(value: unknown): string {
  if (value === undefined) return 'no such export';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
