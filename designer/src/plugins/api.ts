/**
 * The plugins' server calls: `GET /api/plugins?tenantId=` (each plugin of the server's plugin
 * folders with its state in a tenant), `GET /api/plugins/problems` (manifests refused at start),
 * `GET /api/plugins/{name}/manifest`, and the lifecycle commands install, upgrade, disable,
 * enable (POST) and uninstall (DELETE). The commands are `quiet`: the page shows the refusal.
 */
import { http } from '../api';

export type LocalisedText = { 'zh-CN': string; en: string };
export type PluginState = 'not-installed' | 'installed' | 'disabled';
export type PluginStatus = 'available' | 'planned' | 'missing';

export interface PluginView {
  name: string;
  /** the version in the plugin folders; null when an installed plugin's folder is gone */
  version: string | null;
  title: LocalisedText | null;
  description: LocalisedText | null;
  status: PluginStatus;
  engine: string | null;
  dependencies: Record<string, string>;
  /** how many of each kind the manifest contributes */
  contributes: Record<string, number>;
  tenantId: string;
  state: PluginState;
  installedVersion: string | null;
  upgradeAvailable: boolean;
}

export interface ManifestProblem {
  file: string;
  path: string;
  message: string;
}

export interface RefusedPlugin {
  plugin: string;
  message: string;
  problems: ManifestProblem[];
}

/** The manifest as plugin.json holds it (engine/src/plugins/manifest.schema.json), the parts the page shows. */
export interface PluginManifest {
  name: string;
  version: string;
  title: LocalisedText;
  description: LocalisedText;
  engine: string;
  status: 'available' | 'planned';
  dependencies?: Record<string, string>;
  contributes?: {
    processes?: string[];
    forms?: string[];
    dictionaries?: string[];
    permissions?: { code: string; name: string; nameEn?: string }[];
    roles?: { code: string; name: string; permissions: string[]; dataScope?: string }[];
    menus?: { app: 'runtime' | 'designer'; key: string; title: LocalisedText; path: string; permission?: string }[];
    statistics?: string[];
    calendar?: string;
    publicChannel?: { processKey: string; categoryDictionary?: string };
    workers?: string[];
  };
  migrations?: { id: string; from: string; file: string }[];
}

export interface PluginChange {
  plugin: string;
  tenantId: string;
  version: string;
  changed: boolean;
  applied: { plugin: string; from: string | null; to: string }[];
  notes: string[];
}

export interface PluginStateChange {
  plugin: string;
  tenantId: string;
  state: PluginState;
  changed: boolean;
}

export type PluginCommand = 'install' | 'upgrade' | 'disable' | 'enable' | 'uninstall';

const enc = encodeURIComponent;

export const listPlugins = (tenantId?: string) => http.get<PluginView[]>('/plugins', { tenantId });
export const listProblems = () => http.get<RefusedPlugin[]>('/plugins/problems');
export const getManifest = (name: string) => http.get<PluginManifest>(`/plugins/${enc(name)}/manifest`);

/** Runs a lifecycle command in the tenant (the caller's own when undefined); a refusal comes back as ApiError without a toast. */
export function runCommand(command: PluginCommand, name: string, tenantId?: string): Promise<PluginChange | PluginStateChange> {
  if (command === 'uninstall') return http.delete<PluginStateChange>(`/plugins/${enc(name)}`, { query: { tenantId }, quiet: true });
  return http.post<PluginChange | PluginStateChange>(`/plugins/${enc(name)}/${command}`, tenantId ? { tenantId } : {}, { quiet: true });
}
