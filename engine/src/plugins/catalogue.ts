import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import semver from 'semver';
import { DEFAULT_PLUGINS_DIR } from '../workers/index.js';
import type { CalendarFile, DictionaryFile, MigrationFile, PluginManifest } from './manifest-types.js';
import { checkContent, checkManifest, PluginManifestError, schemaProblems, type ManifestProblem } from './manifest.js';

/** The engine's version, which a manifest's `engine` range must admit (src/ and dist/ both sit one level below the package). */
export const ENGINE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export const MANIFEST_FILE = 'plugin.json';

/** A plugin found on disk whose manifest and files passed the schema. */
export interface DiscoveredPlugin {
  readonly name: string;
  /** `@yiwang/plugin-<name>`: the source of its permissions */
  readonly packageName: string;
  readonly dir: string;
  readonly manifest: PluginManifest;
}

/** What the plugin folders hold: the valid plugins by name, and the folders refused with their problems. */
export interface PluginCatalogue {
  readonly plugins: ReadonlyMap<string, DiscoveredPlugin>;
  readonly invalid: readonly PluginManifestError[];
}

/** Where plugins are looked for: the repository's `plugins/`, and the folders `YIWANG_PLUGINS_DIR` lists (separated by the platform's path delimiter). */
export function pluginDirectories(environment: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (environment.YIWANG_PLUGINS_DIR ?? '').split(path.delimiter).filter((dir) => dir.trim() !== '');
  return [DEFAULT_PLUGINS_DIR, ...extra.map((dir) => path.resolve(dir))];
}

/**
 * Reads `<dir>/*\/plugin.json` in every folder: each manifest is checked against the schema, and
 * so is every file it names (dictionaries, calendar, migrations; processes, forms, statistics and
 * workers must exist). A plugin with problems is listed in `invalid` with all of them; two
 * folders with one plugin name are both refused.
 */
export function discoverPlugins(dirs: readonly string[] = pluginDirectories()): PluginCatalogue {
  const found = new Map<string, DiscoveredPlugin[]>();
  const invalid: PluginManifestError[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const pluginDir = path.join(dir, entry.name);
      const file = path.join(pluginDir, MANIFEST_FILE);
      if (!entry.isDirectory() || !existsSync(file)) continue;
      try {
        const plugin = readPlugin(pluginDir);
        found.set(plugin.name, [...(found.get(plugin.name) ?? []), plugin]);
      } catch (error) {
        if (!(error instanceof PluginManifestError)) throw error;
        invalid.push(error);
      }
    }
  }
  const plugins = new Map<string, DiscoveredPlugin>();
  for (const [name, copies] of found) {
    if (copies.length === 1) plugins.set(name, copies[0] as DiscoveredPlugin);
    else invalid.push(new PluginManifestError(name, copies.map((copy) => ({ file: path.join(copy.dir, MANIFEST_FILE), path: '/name', message: `the name '${name}' is used by ${copies.length} plugin folders` }))));
  }
  return { plugins, invalid };
}

/** One plugin folder, checked as discovery checks it; a PluginManifestError lists every problem. */
export function readPlugin(dir: string): DiscoveredPlugin {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = checkManifest(readJson(file, path.basename(dir)), file);
  const problems = [...semanticProblems(manifest, file), ...contentProblems(dir, manifest)];
  if (problems.length > 0) throw new PluginManifestError(manifest.name, problems);
  return { name: manifest.name, packageName: `@yiwang/plugin-${manifest.name}`, dir, manifest };
}

/** What the schema cannot say: a valid range for the engine and each dependency, no duplicate codes, migrations in order. */
function semanticProblems(manifest: PluginManifest, file: string): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  if (!semver.validRange(manifest.engine)) problems.push({ file, path: '/engine', message: `'${manifest.engine}' is no semver range` });
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!semver.validRange(range)) problems.push({ file, path: `/dependencies/${name}`, message: `'${range}' is no semver range` });
    if (name === manifest.name) problems.push({ file, path: `/dependencies/${name}`, message: 'a plugin cannot depend on itself' });
  }
  const contributes = manifest.contributes ?? {};
  const duplicates = (values: readonly string[], pointer: string, what: string) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) problems.push({ file, path: `${pointer}/${index}`, message: `the ${what} '${value}' is listed twice` });
      seen.add(value);
    });
  };
  duplicates((contributes.permissions ?? []).map((p) => p.code), '/contributes/permissions', 'permission');
  duplicates((contributes.roles ?? []).map((r) => r.code), '/contributes/roles', 'role');
  duplicates((contributes.menus ?? []).map((m) => m.key), '/contributes/menus', 'menu key');
  duplicates((manifest.migrations ?? []).map((m) => m.id), '/migrations', 'migration id');
  duplicates([...(contributes.processes ?? []), ...(contributes.forms ?? [])].map((p) => path.basename(p)), '/contributes', 'resource name');
  (manifest.migrations ?? []).forEach((migration, index) => {
    if (semver.valid(migration.from) && semver.valid(manifest.version) && semver.gte(migration.from, manifest.version)) {
      problems.push({ file, path: `/migrations/${index}/from`, message: `a migration from ${migration.from} must start below the plugin's version ${manifest.version}` });
    }
  });
  if (manifest.status === 'planned' && Object.values(contributes).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined))) {
    problems.push({ file, path: '/contributes', message: 'a planned plugin contributes nothing yet' });
  }
  return problems;
}

/** Every named file exists inside the folder, and the JSON files match their definitions. */
function contentProblems(dir: string, manifest: PluginManifest): ManifestProblem[] {
  const contributes = manifest.contributes ?? {};
  const problems: ManifestProblem[] = [];
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const exists = (relative: string, pointer: string): boolean => {
    const full = path.join(dir, relative);
    if (existsSync(full) && statSync(full).isFile()) return true;
    problems.push({ file: manifestFile, path: pointer, message: `names the file '${relative}', which does not exist in ${dir}` });
    return false;
  };
  const checked = (relative: string, pointer: string, kind: 'dictionaryFile' | 'calendarFile' | 'migrationFile' | null) => {
    if (!exists(relative, pointer)) return;
    const full = path.join(dir, relative);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(full, 'utf8'));
    } catch (error) {
      problems.push({ file: full, path: '/', message: `is no JSON: ${(error as Error).message}` });
      return;
    }
    if (kind) problems.push(...schemaProblems(value, full, kind));
  };
  for (const key of ['processes', 'forms', 'workers'] as const) (contributes[key] ?? []).forEach((file, i) => exists(file, `/contributes/${key}/${i}`));
  (contributes.dictionaries ?? []).forEach((file, i) => checked(file, `/contributes/dictionaries/${i}`, 'dictionaryFile'));
  (contributes.statistics ?? []).forEach((file, i) => checked(file, `/contributes/statistics/${i}`, null));
  if (contributes.calendar) checked(contributes.calendar, '/contributes/calendar', 'calendarFile');
  (manifest.migrations ?? []).forEach((migration, i) => checked(migration.file, `/migrations/${i}/file`, 'migrationFile'));
  return problems;
}

function readJson(file: string, plugin: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PluginManifestError(plugin, [{ file, path: '/', message: `cannot be read as JSON: ${(error as Error).message}` }]);
  }
}

/** What an installation writes, read from the plugin's folder. */
export interface PluginContent {
  readonly resources: readonly { readonly name: string; readonly content: Buffer }[];
  readonly dictionaries: readonly DictionaryFile[];
  readonly statistics: readonly { readonly path: string; readonly definition: unknown }[];
  readonly calendar: CalendarFile | null;
  readonly migrations: readonly { readonly id: string; readonly from: string; readonly steps: MigrationFile['steps'] }[];
}

/** Reads the files the manifest names (processes and forms as deployment resources named by their file names). */
export function readContent(plugin: DiscoveredPlugin): PluginContent {
  const { dir, manifest, name } = plugin;
  const contributes = manifest.contributes ?? {};
  const json = (relative: string): unknown => JSON.parse(readFileSync(path.join(dir, relative), 'utf8'));
  return {
    resources: [...(contributes.processes ?? []), ...(contributes.forms ?? [])].map((file) => ({ name: path.basename(file), content: readFileSync(path.join(dir, file)) })),
    dictionaries: (contributes.dictionaries ?? []).map((file) => checkContent(name, json(file), file, 'dictionaryFile')),
    statistics: (contributes.statistics ?? []).map((file) => ({ path: file, definition: json(file) })),
    calendar: contributes.calendar ? checkContent(name, json(contributes.calendar), contributes.calendar, 'calendarFile') : null,
    migrations: (manifest.migrations ?? []).map((migration) => ({
      id: migration.id, from: migration.from, steps: checkContent(name, json(migration.file), migration.file, 'migrationFile').steps,
    })),
  };
}
