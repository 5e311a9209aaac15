/**
 * Installs this plugin's content into a test engine through the engine's own services — the
 * dictionaries as shared dictionaries (CreateDictionaryCmd), the process and its forms as one
 * deployment of the Liuzhou city tenant (repositoryService.deploy, which validates and pins the
 * forms) — with a slice of the seeded Liuzhou organisation whose roles carry the permissions the
 * manifest declares. Until the plugin mechanism (engine/src/plugins) installs plugins, this is
 * how the plugin is checked against the real engine; the public-service plugin's test uses it too.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateDictionaryCmd } from '../../../engine/src/dictionaries/index.js';
import type { ItemInput } from '../../../engine/src/dictionaries/items.js';
import type { ProcessEngine } from '../../../engine/src/services/index.js';
import { buildOrganisation, TENANT_TREE_FIXTURE, type OrganisationFixture } from '../../../engine/src/testing/organisation.js';

export const PLUGIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LIUZHOU = '450200';

export interface DictionaryFileItem {
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string;
  readonly extra?: Record<string, unknown>;
  readonly children?: readonly DictionaryFileItem[];
}
export interface DictionaryFile {
  readonly code: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly hierarchical?: boolean;
  readonly items: readonly DictionaryFileItem[];
}
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly contributes: {
    readonly processes?: readonly string[];
    readonly forms?: readonly string[];
    readonly dictionaries?: readonly string[];
    readonly roles?: readonly { code: string; name: string; permissions: readonly string[]; dataScope: 'all' | 'department-and-below' | 'self' }[];
    readonly publicChannel?: { processKey: string };
  };
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

export const manifestOf = (pluginDir: string) => readJson<Manifest>(join(pluginDir, 'plugin.json'));

/** A dictionary file's tree as the flat item list the dictionary commands take (parents by code). */
export function flatItems(items: readonly DictionaryFileItem[], parent: string | null = null): ItemInput[] {
  return items.flatMap((item) => [
    { code: item.code, label: item.label, labelEn: item.labelEn ?? null, parent, extra: item.extra ?? null },
    ...flatItems(item.children ?? [], item.code),
  ]);
}

/** Creates a plugin's dictionaries as shared ones. */
export async function installDictionaries(engine: ProcessEngine, pluginDir: string): Promise<DictionaryFile[]> {
  const manifest = await manifestOf(pluginDir);
  const files: DictionaryFile[] = [];
  for (const path of manifest.contributes.dictionaries ?? []) {
    const file = await readJson<DictionaryFile>(join(pluginDir, path));
    await engine.commandExecutor.execute(new CreateDictionaryCmd({ code: file.code, name: file.name, hierarchical: file.hierarchical ?? false, items: flatItems(file.items) }));
    files.push(file);
  }
  return files;
}

/** Deploys a plugin's processes and forms together into the tenant. */
export async function deployPlugin(engine: ProcessEngine, pluginDir: string, tenantId = LIUZHOU) {
  const manifest = await manifestOf(pluginDir);
  const paths = [...(manifest.contributes.processes ?? []), ...(manifest.contributes.forms ?? [])];
  const resources = await Promise.all(paths.map(async (path) => ({ name: path.split('/').pop() as string, content: await readFile(join(pluginDir, path), 'utf8') })));
  return engine.repositoryService.deploy({ name: manifest.name, tenantId, resources });
}

/** A small region tree (the seeds' shape): 城中区 → one street → one community → one grid. */
export const REGION = { district: '450202', street: '450202001', community: '450202001001', grid: '450202001001001' } as const;
export async function installRegion(engine: ProcessEngine): Promise<void> {
  await engine.commandExecutor.execute(new CreateDictionaryCmd({
    code: 'region', name: '行政区划与网格', hierarchical: true,
    items: [
      { code: REGION.district, label: '城中区', extra: { level: 'district' } },
      { code: REGION.street, label: '城中街道', parent: REGION.district, extra: { level: 'street' } },
      { code: REGION.community, label: '文惠社区', parent: REGION.street, extra: { level: 'community' } },
      { code: REGION.grid, label: '文惠社区第一网格', parent: REGION.community, extra: { level: 'grid' } },
    ],
  }));
}

/** The city's staff of seeds/liuzhou/users.json that the case loop needs, in the seeded departments, holding the manifest's roles. */
export async function buildLiuzhouStaff(engine: ProcessEngine, extraRoles: OrganisationFixture['roles'] = [], extraUsers: OrganisationFixture['users'] = []) {
  const manifest = await manifestOf(PLUGIN_DIR);
  const roles = (manifest.contributes.roles ?? []).map((role) => ({ tenantId: LIUZHOU, code: role.code, name: role.name, permissions: role.permissions, dataScope: role.dataScope }));
  // a test's role of a code the manifest declares too (sysadmin) is that role with more permissions, as an install merges them
  const extra = (extraRoles ?? []).filter((role) => {
    const same = roles.find((declared) => declared.tenantId === role.tenantId && declared.code === role.code);
    if (same) same.permissions = [...new Set([...same.permissions, ...role.permissions])];
    return !same;
  });
  return buildOrganisation(engine, {
    tenants: TENANT_TREE_FIXTURE,
    departments: [
      { tenantId: LIUZHOU, code: 'cgj', name: '市城管执法局' },
      { tenantId: LIUZHOU, code: 'cgj-zhzx', name: '数字城管指挥中心', parent: 'cgj' },
      { tenantId: LIUZHOU, code: 'cgj-zfzd', name: '执法支队', parent: 'cgj' },
      { tenantId: LIUZHOU, code: 'cgj-zfzd-1d', name: '执法一大队', parent: 'cgj-zfzd' },
      { tenantId: LIUZHOU, code: 'zjj', name: '市住房城乡建设局' },
      { tenantId: LIUZHOU, code: 'swjt', name: '水务集团' },
    ],
    roles: [...roles, ...extra],
    users: [
      { id: 'lz.supervisor', tenantId: LIUZHOU, name: '韦晓岚', departments: ['cgj-zhzx'], roles: ['supervisor'] },
      { id: 'lz.receptionist', tenantId: LIUZHOU, name: '覃语桐', departments: ['cgj-zhzx'], roles: ['receptionist'] },
      { id: 'lz.shift-leader', tenantId: LIUZHOU, name: '蓝启航', departments: ['cgj-zhzx'], roles: ['shift-leader'] },
      { id: 'lz.dispatcher', tenantId: LIUZHOU, name: '莫思远', departments: ['cgj-zhzx'], roles: ['dispatcher'] },
      { id: 'lz.handler', tenantId: LIUZHOU, name: '廖青禾', departments: ['cgj-zfzd-1d'], roles: ['handler'] },
      { id: 'lz.zjj.handler', tenantId: LIUZHOU, name: '黄木棉', departments: ['zjj'], roles: ['handler'] },
      ...(extraUsers ?? []),
    ],
  });
}

/** Everything: staff, region, the plugin's dictionaries, its deployment. */
export async function installCommandCoordination(engine: ProcessEngine, extraRoles: OrganisationFixture['roles'] = [], extraUsers: OrganisationFixture['users'] = []) {
  const organisation = await buildLiuzhouStaff(engine, extraRoles, extraUsers);
  await installRegion(engine);
  const dictionaries = await installDictionaries(engine, PLUGIN_DIR);
  const deployment = await deployPlugin(engine, PLUGIN_DIR);
  return { organisation, dictionaries, deployment };
}
