import type { CommandContext } from '../command/index.js';
import { CreateDictionaryCmd, findDictionary, flattenItemTree, ReplaceItemsCmd, UpdateItemCmd, type ItemInput } from '../dictionaries/index.js';
import { DICTIONARY_ITEM, type DictionaryItemEntity } from '../persistence/index.js';
import type { DictionaryFile, MigrationFile } from './manifest-types.js';
import { PLUGIN_DICTIONARY_ITEM, type PluginDictionaryItemEntity } from './tables.js';

/** What an installation or upgrade could not do as shipped, for the administrator to read. */
export type Notes = string[];

/** The fields a plugin ships and an administrator may edit. */
interface Shipped {
  readonly label: string;
  readonly labelEn: string | null;
  readonly extra: Record<string, unknown> | null;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameShipped = (a: Shipped, b: Shipped): boolean => a.label === b.label && (a.labelEn ?? null) === (b.labelEn ?? null) && sameJson(a.extra, b.extra);

/**
 * Brings the tenant's own dictionaries to what the plugin ships, without losing administrators'
 * edits. A dictionary the tenant lacks is created with every item. In one the tenant has: new
 * items are added (under their parent, when the parent is still there); an item whose label,
 * English label and extra data still equal what the plugin shipped last time takes the new
 * values, an edited one is kept; an item the plugin no longer ships is disabled unless edited;
 * nothing is ever deleted, and an item an administrator deleted is not brought back. What the
 * plugin shipped is recorded per item (`plugin_dictionary_item`) so the next upgrade can tell.
 */
export async function mergeDictionaries(context: CommandContext, plugin: string, tenantId: string, files: readonly DictionaryFile[], notes: Notes): Promise<void> {
  const { session } = context;
  const owner = { kind: 'tenant', tenantId } as const;
  for (const file of files) {
    const items = flattenItemTree(file.items).map((item) => ({ ...item, labelEn: item.labelEn ?? null, extra: item.extra ?? null }));
    const records = new Map((await session.select(PLUGIN_DICTIONARY_ITEM, 'tenant_id = $1 AND plugin = $2 AND dictionary_code = $3', [tenantId, plugin, file.code])).map((row) => [row.itemCode, row]));
    const dictionary = await findDictionary(session, file.code, owner);
    if (!dictionary) {
      await new CreateDictionaryCmd({ tenantId, code: file.code, name: file.name, description: file.description ?? null, hierarchical: file.hierarchical ?? false, items }).execute(context);
    } else {
      const current = await session.select(DICTIONARY_ITEM, 'dictionary_id = $1', [dictionary.id]);
      const merged = mergeItems(file.code, current, items, records, notes);
      if (merged) await new ReplaceItemsCmd(file.code, owner, merged).execute(context);
    }
    recordShipped(context, plugin, tenantId, file.code, items, records);
  }
}

/** The dictionary's new item list, or null when nothing changes. */
function mergeItems(code: string, current: readonly DictionaryItemEntity[], shipped: readonly ItemInput[], records: ReadonlyMap<string, PluginDictionaryItemEntity>, notes: Notes): ItemInput[] | null {
  const codeById = new Map(current.map((item) => [item.id, item.code]));
  const byCode = new Map(current.map((item) => [item.code, item]));
  const shippedByCode = new Map(shipped.map((item) => [item.code, item]));
  const edited = (item: DictionaryItemEntity): boolean => {
    const record = records.get(item.code);
    return !record || !sameShipped(item, record);
  };
  let changes = 0;
  const list: ItemInput[] = current.map((item) => {
    const kept: ItemInput = {
      code: item.code, label: item.label, labelEn: item.labelEn, parent: item.parentId ? (codeById.get(item.parentId) ?? null) : null, sortOrder: item.sortOrder,
      enabled: item.enabled, extra: item.extra,
    };
    const next = shippedByCode.get(item.code);
    if (next) {
      const wanted = { label: next.label, labelEn: next.labelEn ?? null, extra: next.extra ?? null };
      if (sameShipped(item, wanted)) return kept;
      if (edited(item)) {
        if (records.has(item.code)) notes.push(`字典 ${code} 的字典项 ${item.code} 已被管理员修改，保留其修改 (kept the administrator's edit of ${code}/${item.code})`);
        return kept;
      }
      changes += 1;
      return { ...kept, ...wanted };
    }
    if (records.get(item.code)?.shipped && item.enabled) {
      if (edited(item)) {
        notes.push(`字典 ${code} 的字典项 ${item.code} 不再随插件提供，但已被管理员修改，保留启用 (${code}/${item.code} is no longer shipped but was edited by an administrator: left enabled)`);
        return kept;
      }
      changes += 1;
      notes.push(`字典 ${code} 的字典项 ${item.code} 不再随插件提供，已停用 (${code}/${item.code} is no longer shipped: disabled, not deleted)`);
      return { ...kept, enabled: false };
    }
    return kept;
  });
  for (const item of shipped) {
    if (byCode.has(item.code)) continue;
    if (records.has(item.code)) {
      notes.push(`字典 ${code} 的字典项 ${item.code} 已被管理员删除，不再添加 (${code}/${item.code} was deleted by an administrator: not added again)`);
      continue;
    }
    const parentThere = !item.parent || byCode.has(item.parent) || list.some((listed) => listed.code === item.parent);
    if (!parentThere) {
      notes.push(`字典 ${code} 的字典项 ${item.code} 的上级 ${item.parent} 已不存在，未添加 (${code}/${item.code} not added: its parent '${item.parent}' is gone)`);
      continue;
    }
    changes += 1;
    list.push(item);
  }
  return changes > 0 ? list : null;
}

/** Remembers what the plugin shipped of each item now, and which items it stopped shipping. */
function recordShipped(context: CommandContext, plugin: string, tenantId: string, dictionaryCode: string, items: readonly ItemInput[], records: ReadonlyMap<string, PluginDictionaryItemEntity>): void {
  const codes = new Set(items.map((item) => item.code));
  for (const item of items) {
    const fields = { label: item.label, labelEn: item.labelEn ?? null, extra: item.extra ?? null, shipped: true };
    const record = records.get(item.code);
    if (record) Object.assign(record, fields);
    else context.session.insert(PLUGIN_DICTIONARY_ITEM, { id: context.newId(), tenantId, plugin, dictionaryCode, itemCode: item.code, ...fields });
  }
  for (const record of records.values()) if (!codes.has(record.itemCode)) record.shipped = false;
}

/**
 * One step of a plugin's own migration (`patch-dictionary-item`): sets fields of one item of the
 * tenant's dictionary and merges keys into its extra data. What the step sets counts as shipped
 * from now on, so the next merge does not take it for an administrator's edit. A dictionary or
 * item that is not there is noted and skipped.
 */
export async function patchDictionaryItem(context: CommandContext, plugin: string, tenantId: string, step: MigrationFile['steps'][number], notes: Notes): Promise<void> {
  const { session } = context;
  const owner = { kind: 'tenant', tenantId } as const;
  const dictionary = await findDictionary(session, step.dictionary, owner);
  const [item] = dictionary ? (await session.select(DICTIONARY_ITEM, 'dictionary_id = $1 AND code = $2', [dictionary.id, step.item])).filter((row) => row.code === step.item) : [];
  if (!item) {
    notes.push(`迁移步骤跳过：字典项 ${step.dictionary}/${step.item} 不存在 (migration step skipped: ${step.dictionary}/${step.item} does not exist)`);
    return;
  }
  const [record] = await session.select(PLUGIN_DICTIONARY_ITEM, 'tenant_id = $1 AND plugin = $2 AND dictionary_code = $3 AND item_code = $4', [tenantId, plugin, step.dictionary, step.item]);
  const unedited = record !== undefined && sameShipped(item, record);
  const extra = step.mergeExtra ? { ...(item.extra ?? {}), ...step.mergeExtra } : undefined;
  await new UpdateItemCmd(step.dictionary, owner, step.item, { ...step.set, ...(extra ? { extra } : {}) }).execute(context);
  if (unedited) Object.assign(record, { label: item.label, labelEn: item.labelEn, extra: item.extra });
}
