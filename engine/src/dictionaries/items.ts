import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError } from '../errors/index.js';
import { applyChanges, checkCode, notFound } from '../identity/organisation/rules.js';
import { DICTIONARY_ITEM, type DbSession, type DictionaryEntity, type DictionaryItemEntity } from '../persistence/index.js';
import { auditTenant, guardTree, ITEM_NOUN, requireWritableDictionary, type DictionaryOwner } from './owner.js';

/** An item as callers write it: its parent by code, in the same dictionary. */
export interface ItemInput {
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string | null;
  /** the parent's code; null or absent: a top-level item */
  readonly parent?: string | null;
  /** default: after its siblings (in a list: its position) */
  readonly sortOrder?: number;
  readonly enabled?: boolean;
  readonly extra?: Record<string, unknown> | null;
}

/** An item with its sub-items, as seed and plugin files write a dictionary's tree. */
export interface ItemTreeInput extends Omit<ItemInput, 'parent' | 'sortOrder'> {
  readonly children?: readonly ItemTreeInput[];
}

/** A tree as the flat list `replaceItems` takes: parents by code, siblings ordered as written. */
export function flattenItemTree(items: readonly ItemTreeInput[], parent: string | null = null): ItemInput[] {
  return items.flatMap(({ children = [], ...item }, sortOrder) => [{ ...item, parent, sortOrder }, ...flattenItemTree(children, item.code)]);
}

/** What an update may change; an item's code stays, as form values and statistics hold it. */
export type ItemChanges = Partial<Omit<ItemInput, 'code'>>;

/** The items of one dictionary, by id and by code, for the tree rules. */
class ItemTree {
  private readonly byId: Map<string, DictionaryItemEntity>;
  private readonly byCode: Map<string, DictionaryItemEntity>;

  constructor(
    readonly dictionary: DictionaryEntity,
    readonly items: readonly DictionaryItemEntity[],
  ) {
    this.byId = new Map(items.map((item) => [item.id, item]));
    // codes are unique ignoring case (MariaDB's unique index would refuse `a` beside `A`), found exactly
    this.byCode = new Map(items.map((item) => [item.code.toLowerCase(), item]));
  }

  static async load(session: DbSession, dictionary: DictionaryEntity): Promise<ItemTree> {
    return new ItemTree(dictionary, await session.select(DICTIONARY_ITEM, 'dictionary_id = $1', [dictionary.id]));
  }

  find(code: string): DictionaryItemEntity | null {
    const item = this.findIgnoringCase(code);
    return item && item.code === code ? item : null;
  }

  findIgnoringCase(code: string): DictionaryItemEntity | null {
    return this.byCode.get(code.toLowerCase()) ?? null;
  }

  require(code: string): DictionaryItemEntity {
    const item = this.find(code);
    if (!item) throw notFound(ITEM_NOUN, `${this.dictionary.code}/${code}`);
    return item;
  }

  checkCodeFree(code: string): void {
    checkCode(code, ITEM_NOUN);
    if (this.byCode.has(code.toLowerCase())) {
      throw new ConflictError(`字典项编码 ${code} 已存在 (the dictionary '${this.dictionary.code}' has an item '${code}' already)`);
    }
  }

  /** The parent named by code: null for a top-level item; only hierarchical dictionaries have parents. */
  parentOf(code: string | null | undefined): DictionaryItemEntity | null {
    if (code === null || code === undefined) return null;
    checkParentAllowed(this.dictionary, code);
    const parent = this.find(code);
    if (!parent) throw new BadUserRequestError(`上级字典项 ${code} 不在字典 ${this.dictionary.code} 中 (the parent '${code}' is no item of the dictionary '${this.dictionary.code}')`);
    return parent;
  }

  /** Refuses to put `item` under `parent` when the parent is the item or below it. */
  checkNoCycle(item: DictionaryItemEntity, parent: DictionaryItemEntity | null): void {
    for (let at = parent; at; at = at.parentId ? (this.byId.get(at.parentId) ?? null) : null) {
      if (at.id === item.id) throw cycle(item.code, (parent as DictionaryItemEntity).code);
    }
  }

  children(item: DictionaryItemEntity): DictionaryItemEntity[] {
    return this.items.filter((other) => other.parentId === item.id);
  }

  /** The sort order that puts a new item after its siblings. */
  nextSortOrder(parent: DictionaryItemEntity | null): number {
    const siblings = this.items.filter((item) => item.parentId === (parent?.id ?? null));
    return siblings.reduce((last, item) => Math.max(last, item.sortOrder + 1), 0);
  }
}

function checkParentAllowed(dictionary: DictionaryEntity, parent: string): void {
  if (!dictionary.hierarchical) {
    throw new BadUserRequestError(`字典 ${dictionary.code} 不是树形字典，字典项不能有上级 (the dictionary '${dictionary.code}' is not hierarchical: its items cannot have a parent such as '${parent}')`);
  }
}

function cycle(code: string, parent: string): BadUserRequestError {
  return new BadUserRequestError(`字典项 ${code} 不能移到其自身或下级 ${parent} 之下 (the item '${code}' cannot go under '${parent}', which is the item itself or below it)`);
}

function newItem(context: CommandContext, dictionary: DictionaryEntity, input: ItemInput, parent: DictionaryItemEntity | null, sortOrder: number): DictionaryItemEntity {
  return {
    id: context.newId(), rev: 1, dictionaryId: dictionary.id, tenantId: dictionary.tenantId, code: input.code, label: input.label,
    labelEn: input.labelEn ?? null, parentId: parent?.id ?? null, sortOrder: input.sortOrder ?? sortOrder, enabled: input.enabled ?? true,
    extra: input.extra ?? null,
  };
}

/** Adds an item, after its siblings unless it says where. */
export class CreateItemCmd implements Command<DictionaryItemEntity> {
  readonly name = 'CreateDictionaryItem';

  constructor(
    private readonly dictionaryCode: string,
    private readonly owner: DictionaryOwner,
    private readonly input: ItemInput,
  ) {}

  async execute(context: CommandContext): Promise<DictionaryItemEntity> {
    const dictionary = await requireWritableDictionary(context, this.dictionaryCode, this.owner);
    guardTree(dictionary);
    const tree = await ItemTree.load(context.session, dictionary);
    tree.checkCodeFree(this.input.code);
    const parent = tree.parentOf(this.input.parent);
    const item = context.session.insert(DICTIONARY_ITEM, newItem(context, dictionary, this.input, parent, tree.nextSortOrder(parent)));
    context.audit({ action: 'dictionary.item.create', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: { ...this.input } });
    return item;
  }
}

/** Changes an item's label, place in the tree, order, state or extra data. */
export class UpdateItemCmd implements Command<DictionaryItemEntity> {
  readonly name = 'UpdateDictionaryItem';

  constructor(
    private readonly dictionaryCode: string,
    private readonly owner: DictionaryOwner,
    private readonly itemCode: string,
    private readonly changes: ItemChanges,
  ) {}

  async execute(context: CommandContext): Promise<DictionaryItemEntity> {
    const dictionary = await requireWritableDictionary(context, this.dictionaryCode, this.owner);
    const tree = await ItemTree.load(context.session, dictionary);
    const item = tree.require(this.itemCode);
    const { parent: parentCode, ...changes } = this.changes;
    const fields: Partial<DictionaryItemEntity> = changes;
    if (parentCode !== undefined) {
      const parent = tree.parentOf(parentCode);
      tree.checkNoCycle(item, parent);
      fields.parentId = parent?.id ?? null;
      if (fields.parentId !== item.parentId) guardTree(dictionary);
    }
    const changed = changeItem(item, fields);
    if (Object.keys(changed).length > 0) {
      context.audit({ action: 'dictionary.item.update', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: { code: item.code, ...changed } });
    }
    return item;
  }
}

/** Removes an item without sub-items (they would be left without a parent). */
export class DeleteItemCmd implements Command<void> {
  readonly name = 'DeleteDictionaryItem';

  constructor(
    private readonly dictionaryCode: string,
    private readonly owner: DictionaryOwner,
    private readonly itemCode: string,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const dictionary = await requireWritableDictionary(context, this.dictionaryCode, this.owner);
    const tree = await ItemTree.load(context.session, dictionary);
    const item = tree.require(this.itemCode);
    guardTree(dictionary);
    const children = tree.children(item).length;
    if (children > 0) {
      throw new ConflictError(`字典项 ${item.label}(${item.code}) 仍有 ${children} 个下级，请先删除或移走 (the item '${item.code}' has ${children} sub-items: delete or move them first)`);
    }
    context.session.delete(DICTIONARY_ITEM, item);
    context.audit({ action: 'dictionary.item.delete', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: { code: item.code, label: item.label } });
  }
}

/** Counts of what a replacement did. */
export interface ReplaceSummary {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
}

/**
 * Makes the dictionary's items exactly `items` (a flat list, parents by code, in any order):
 * items whose code is listed are changed in place (their ids stay), new codes are added, the
 * others removed. The list is checked as a whole first — codes, parents, cycles — and a mistake
 * changes nothing.
 */
export class ReplaceItemsCmd implements Command<ReplaceSummary> {
  readonly name = 'ReplaceDictionaryItems';

  constructor(
    private readonly dictionaryCode: string,
    private readonly owner: DictionaryOwner,
    private readonly items: readonly ItemInput[],
  ) {}

  async execute(context: CommandContext): Promise<ReplaceSummary> {
    const dictionary = await requireWritableDictionary(context, this.dictionaryCode, this.owner);
    guardTree(dictionary);
    const summary = await replaceItems(context, dictionary, this.items);
    context.audit({ action: 'dictionary.items.replace', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: summary });
    return summary;
  }
}

/** The replacement itself, also run when a dictionary is created with its items. */
export async function replaceItems(context: CommandContext, dictionary: DictionaryEntity, inputs: readonly ItemInput[]): Promise<ReplaceSummary> {
  checkItemList(dictionary, inputs);
  const { session } = context;
  const existing = await ItemTree.load(session, dictionary);
  // every listed item first (found, or new), so that parents resolve by code whatever the order
  const listed = new Map<string, DictionaryItemEntity>();
  let added = 0;
  inputs.forEach((input, position) => {
    const found = existing.findIgnoringCase(input.code);
    if (!found) added += 1;
    listed.set(input.code, found ?? session.insert(DICTIONARY_ITEM, newItem(context, dictionary, input, null, position)));
  });
  let updated = 0;
  inputs.forEach((input, position) => {
    const item = listed.get(input.code) as DictionaryItemEntity;
    const parentId = input.parent ? (listed.get(input.parent) as DictionaryItemEntity).id : null;
    const fields = { code: input.code, label: input.label, labelEn: input.labelEn ?? null, parentId, sortOrder: input.sortOrder ?? position, enabled: input.enabled ?? true, extra: input.extra ?? null };
    if (Object.keys(changeItem(item, fields)).length > 0 && existing.items.includes(item)) updated += 1;
  });
  const keptIds = new Set([...listed.values()].map((item) => item.id));
  const removed = existing.items.filter((item) => !keptIds.has(item.id));
  for (const item of removed) session.delete(DICTIONARY_ITEM, item);
  return { added, updated, removed: removed.length };
}

/** `applyChanges` for items: `extra` is an object, equal when its JSON is. */
function changeItem(item: DictionaryItemEntity, changes: Partial<DictionaryItemEntity>): Record<string, { from: unknown; to: unknown }> {
  const { extra, ...fields } = changes;
  const extraChanged = extra !== undefined && JSON.stringify(extra) !== JSON.stringify(item.extra);
  return applyChanges(item, extraChanged ? { ...fields, extra } : fields);
}

/** Codes valid and distinct (ignoring case), parents listed and allowed, no item its own ancestor. */
function checkItemList(dictionary: DictionaryEntity, inputs: readonly ItemInput[]): void {
  const parents = new Map<string, string | null>();
  const seen = new Set<string>();
  for (const input of inputs) {
    checkCode(input.code, ITEM_NOUN);
    if (seen.has(input.code.toLowerCase())) throw new BadUserRequestError(`字典项编码 ${input.code} 重复 (the item code '${input.code}' is listed twice)`);
    seen.add(input.code.toLowerCase());
    parents.set(input.code, input.parent ?? null);
  }
  for (const { code, parent } of inputs) {
    if (!parent) continue;
    checkParentAllowed(dictionary, parent);
    if (!parents.has(parent)) throw new BadUserRequestError(`字典项 ${code} 的上级 ${parent} 不在列表中 (the parent '${parent}' of '${code}' is not in the list)`);
    // up from the item's parent: reaching the item again makes it its own ancestor; another loop above it is reported for its own items
    const visited = new Set<string>();
    for (let at: string | null = parent; at !== null && !visited.has(at); at = parents.get(at) ?? null) {
      if (at === code) throw cycle(code, parent);
      visited.add(at);
    }
  }
}
