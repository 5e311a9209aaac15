import type { Command, CommandContext } from '../command/index.js';
import type { PublicReportSettings } from '../config/index.js';
import { getDictionary, type ItemNode } from '../dictionaries/index.js';
import { BadUserRequestError, NotFoundError } from '../errors/index.js';
import { readFilePolicy } from '../files/index.js';
import { namedOrOwnTenantId } from '../identity/organisation/rules.js';
import type { FormLanguage } from '../forms/index.js';
import type { DeploymentCache } from '../bpmn/deployment-cache.js';
import { TENANT, type DbSession, type ProcessDefinitionEntity } from '../persistence/index.js';
import { findDefinition } from '../services/commands/process-instance.js';
import { PUBLIC_CHANNEL, type PublicChannelEntity } from './tables.js';
import { say } from './text.js';

export const DEFAULT_CATEGORY_DICTIONARY = 'case-category';

/** The types a citizen's photos may have, recognised from their content; a tenant's upload policy may allow fewer. */
export const PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

export interface ChannelInput {
  readonly processKey: string;
  readonly categoryDictionary?: string;
  readonly enabled: boolean;
  /** a tenant the actor sees (a plugin installed into it); default: the actor's own */
  readonly tenantId?: string;
}

/** The channel of the caller's tenant; a tenant without one has none configured (`processKey` null, not enabled). */
export interface ChannelView {
  readonly tenantId: string;
  readonly processKey: string | null;
  readonly categoryDictionary: string;
  readonly enabled: boolean;
  readonly updated: Date | null;
  readonly updatedBy: string | null;
}

/**
 * Sets the public reporting channel of the caller's tenant. The process key must name a process
 * the tenant may start — its own or a shared one — with a none start event, and the dictionary
 * must apply in the tenant: each a 400 naming the cause.
 */
export class SetPublicChannelCmd implements Command<PublicChannelEntity> {
  readonly name = 'SetPublicChannel';

  constructor(private readonly input: ChannelInput) {}

  async execute(context: CommandContext): Promise<PublicChannelEntity> {
    const { session } = context;
    const tenantId = await namedOrOwnTenantId(context, this.input.tenantId, '公众上报渠道属于租户 (the public channel belongs to a tenant, and the caller has none)');
    const { processKey, enabled } = this.input;
    const categoryDictionary = this.input.categoryDictionary ?? DEFAULT_CATEGORY_DICTIONARY;
    await checkProcess(context, processKey, tenantId);
    await getDictionary(session, categoryDictionary, { kind: 'applies-in', tenantId }).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
      throw new BadUserRequestError(`数据字典 ${categoryDictionary} 不存在 (no dictionary '${categoryDictionary}' applies in tenant ${tenantId}: the categories come from it)`);
    });
    const [existing] = await session.select(PUBLIC_CHANNEL, 'tenant_id = $1', [tenantId]);
    const changes = { processKey, categoryDictionary, enabled, updated: context.now(), updatedBy: context.actor?.userId ?? null };
    context.audit({ action: 'public-channel.update', objectType: 'public_channel', objectId: tenantId, detail: { processKey, categoryDictionary, enabled } });
    if (existing) return Object.assign(existing, changes);
    return session.insert(PUBLIC_CHANNEL, { id: context.newId(), rev: 1, tenantId, ...changes });
  }
}

async function checkProcess(context: CommandContext, processKey: string, tenantId: string): Promise<void> {
  const { problem } = await channelProcess(context.session, context.environment.deployments, processKey, tenantId);
  if (problem) throw new BadUserRequestError(`流程 ${processKey} 不能受理公众上报 (${problem})`);
}

/**
 * The definition a report of the channel starts — the latest version of the key the tenant
 * starts: its own, else the shared one — or why there is none that can start now: not deployed,
 * suspended, no none start event. The problem names the process, for staff and the log.
 */
export async function channelProcess(
  session: DbSession, deployments: DeploymentCache, processKey: string, tenantId: string,
): Promise<{ definition: ProcessDefinitionEntity; problem: null } | { definition: null; problem: string }> {
  const definition = await findDefinition({ session, actor: null }, { key: processKey, tenantId, orShared: true }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  if (!definition) return { definition: null, problem: `no process with the key '${processKey}' is deployed for tenant ${tenantId} or shared` };
  if (definition.suspended) return { definition: null, problem: `process definition '${definition.id}' of '${processKey}' is suspended` };
  const process = await deployments.get(session, definition.id);
  if (!process.model.root.startActivity) return { definition: null, problem: `process '${processKey}' has no none start event: a report cannot start it` };
  return { definition, problem: null };
}

export async function channelView(session: DbSession, tenantId: string): Promise<ChannelView> {
  const [channel] = await session.select(PUBLIC_CHANNEL, 'tenant_id = $1', [tenantId]);
  if (!channel) return { tenantId, processKey: null, categoryDictionary: DEFAULT_CATEGORY_DICTIONARY, enabled: false, updated: null, updatedBy: null };
  const { processKey, categoryDictionary, enabled, updated, updatedBy } = channel;
  return { tenantId, processKey, categoryDictionary, enabled, updated, updatedBy };
}

/**
 * The enabled channel of an enabled tenant, or — no tenant named — the only one of an enabled
 * tenant there is. A 404
 * otherwise: the portal of a tenant that has not opened it does not exist.
 */
export async function openChannel(session: DbSession, tenantId: string | undefined, language: FormLanguage): Promise<{ channel: PublicChannelEntity; tenantName: string }> {
  const channels = tenantId === undefined
    ? await session.select(PUBLIC_CHANNEL, 'enabled = $1 AND tenant_id IN (SELECT id FROM tenant WHERE enabled = $2)', [1, 1], 'LIMIT 2')
    : await session.select(PUBLIC_CHANNEL, 'tenant_id = $1 AND enabled = $2', [tenantId, 1]);
  const channel = channels.length === 1 ? channels[0] : undefined;
  const tenant = channel ? await session.findById(TENANT, channel.tenantId) : null;
  if (!channel || !tenant?.enabled) {
    throw new NotFoundError(
      tenantId === undefined
        ? say(language, '请指定要上报的地区', 'No single public reporting portal is open: name the tenant')
        : say(language, '该地区未开通公众上报', `No public reporting portal is open for tenant '${tenantId}'`),
    );
  }
  return { channel, tenantName: tenant.name };
}

/** A category as the portal offers it. */
export interface CategoryNode {
  readonly code: string;
  readonly label: string;
  readonly labelEn: string | null;
  readonly children: CategoryNode[];
}

/** The enabled categories of the channel's dictionary as it applies in the tenant (none when it was removed since). */
export async function channelCategories(session: DbSession, channel: PublicChannelEntity): Promise<CategoryNode[]> {
  try {
    const dictionary = await getDictionary(session, channel.categoryDictionary, { kind: 'applies-in', tenantId: channel.tenantId });
    return enabledNodes(dictionary.items);
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
}

function enabledNodes(items: readonly ItemNode[]): CategoryNode[] {
  return items.filter((item) => item.enabled).map((item) => ({ code: item.code, label: item.label, labelEn: item.labelEn, children: enabledNodes(item.children) }));
}

/** The categories a report may name: the leaves of the tree, by code. */
export function leafCategories(nodes: readonly CategoryNode[], leaves = new Map<string, CategoryNode>()): Map<string, CategoryNode> {
  for (const node of nodes) {
    if (node.children.length === 0) leaves.set(node.code, node);
    else leafCategories(node.children, leaves);
  }
  return leaves;
}

export interface PhotoPolicy {
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly contentTypes: readonly string[];
}

/** The portal's photo limits within the tenant's upload policy: the smaller size, the image types both allow. */
export async function photoPolicy(session: DbSession, tenantId: string, settings: PublicReportSettings): Promise<PhotoPolicy> {
  const policy = await readFilePolicy(session, tenantId);
  return {
    maxCount: settings.photoMaxCount,
    maxBytes: Math.min(settings.photoMaxBytes, policy.maxSize),
    contentTypes: PHOTO_TYPES.filter((type) => policy.allowedTypes.includes(type)),
  };
}
