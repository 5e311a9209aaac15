import type { Command, CommandContext } from '../command/index.js';
import { BadUserRequestError, ConflictError } from '../errors/index.js';
import { applyChanges, checkCode, countUnscoped, targetTenant } from '../identity/organisation/rules.js';
import { DICTIONARY, type DictionaryEntity } from '../persistence/index.js';
import { replaceItems, type ItemInput } from './items.js';
import { auditTenant, DICTIONARY_NOUN, requireWritableDictionary, type DictionaryOwner } from './owner.js';

export interface DictionaryInput {
  readonly code: string;
  readonly name: string;
  readonly description?: string | null;
  /** items may have parents; default false */
  readonly hierarchical?: boolean;
}

export type DictionaryChanges = Partial<Omit<DictionaryInput, 'code'>>;

/**
 * A dictionary with its first items. It belongs to the tenant the request names (one the caller
 * sees), else to the caller's own; a caller who sees every tenant (the platform administrator)
 * creates shared dictionaries unless they name a tenant, as they deploy shared definitions.
 */
export class CreateDictionaryCmd implements Command<DictionaryEntity> {
  readonly name = 'CreateDictionary';

  constructor(private readonly input: DictionaryInput & { readonly tenantId?: string; readonly items?: readonly ItemInput[] }) {}

  async execute(context: CommandContext): Promise<DictionaryEntity> {
    const { code, name, description = null, hierarchical = false, items = [] } = this.input;
    const sharedByDefault = !context.actor?.scope;
    const tenantId = this.input.tenantId === undefined && sharedByDefault ? null : (await targetTenant(context, this.input.tenantId)).id;
    checkCode(code, DICTIONARY_NOUN);
    await checkCodeFree(context, tenantId, code);
    const dictionary = context.session.insert(DICTIONARY, { id: context.newId(), rev: 1, tenantId, code, name, description, hierarchical });
    const summary = await replaceItems(context, dictionary, items);
    context.audit({ action: 'dictionary.create', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: { tenantId, code, name, hierarchical, items: summary.added } });
    return dictionary;
  }
}

/** Renames a dictionary, changes its description, or makes it a tree or a flat list (only when no item has a parent). */
export class UpdateDictionaryCmd implements Command<DictionaryEntity> {
  readonly name = 'UpdateDictionary';

  constructor(
    private readonly code: string,
    private readonly owner: DictionaryOwner,
    private readonly changes: DictionaryChanges,
  ) {}

  async execute(context: CommandContext): Promise<DictionaryEntity> {
    const dictionary = await requireWritableDictionary(context, this.code, this.owner);
    if (this.changes.hierarchical === false && dictionary.hierarchical) {
      const nested = await context.session.count({ name: 'dictionary_item' }, 'dictionary_id = $1 AND parent_id IS NOT NULL', [dictionary.id]);
      if (nested > 0) {
        throw new BadUserRequestError(`字典 ${this.code} 有 ${nested} 个字典项有上级，不能改为非树形 (the dictionary '${this.code}' cannot stop being hierarchical while ${nested} items have a parent)`);
      }
    }
    const changed = applyChanges(dictionary, this.changes);
    if (Object.keys(changed).length > 0) context.audit({ action: 'dictionary.update', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: changed });
    return dictionary;
  }
}

/**
 * Removes a dictionary with its items. Forms that name its code then find the shared dictionary
 * of the code, if there is one, or none.
 */
export class DeleteDictionaryCmd implements Command<void> {
  readonly name = 'DeleteDictionary';

  constructor(
    private readonly code: string,
    private readonly owner: DictionaryOwner,
  ) {}

  async execute(context: CommandContext): Promise<void> {
    const dictionary = await requireWritableDictionary(context, this.code, this.owner);
    context.session.delete(DICTIONARY, dictionary);
    context.session.addStatement('DELETE FROM dictionary_item WHERE dictionary_id = $1', [dictionary.id]);
    context.audit({ action: 'dictionary.delete', objectType: 'dictionary', objectId: dictionary.id, ...auditTenant(dictionary), detail: { code: dictionary.code, name: dictionary.name } });
  }
}

/**
 * Codes are unique per tenant, and among the shared dictionaries, ignoring case (MariaDB's
 * collation refuses `A` beside `a` anyway). The unique index cannot guard the shared ones (NULLs
 * are distinct), so this check, across every tenant, does.
 */
async function checkCodeFree(context: CommandContext, tenantId: string | null, code: string): Promise<void> {
  const owner = tenantId === null ? 'tenant_id IS NULL' : 'tenant_id = $2';
  const taken = await countUnscoped(context.session.sql, `SELECT COUNT(*) AS n FROM dictionary WHERE LOWER(code) = $1 AND ${owner}`, tenantId === null ? [code.toLowerCase()] : [code.toLowerCase(), tenantId]);
  if (taken > 0) {
    throw new ConflictError(`字典编码 ${code} 已存在 (a dictionary with the code '${code}' exists ${tenantId === null ? 'among the shared dictionaries' : `in tenant ${tenantId}`})`);
  }
}
