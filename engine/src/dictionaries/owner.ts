import type { CommandContext } from '../command/index.js';
import { ForbiddenError } from '../errors/index.js';
import { notFound, type Noun } from '../identity/organisation/rules.js';
import { DICTIONARY, type DbSession, type DictionaryEntity } from '../persistence/index.js';

export const DICTIONARY_NOUN: Noun = { zh: '数据字典', en: 'dictionary' };
export const ITEM_NOUN: Noun = { zh: '字典项', en: 'dictionary item' };

/**
 * Which dictionary of a code a request means. Every tenant sees the shared dictionaries (no
 * tenant); a tenant's own dictionary of the same code takes the shared one's place for it.
 */
export type DictionaryOwner =
  | { readonly kind: 'shared' }
  | { readonly kind: 'tenant'; readonly tenantId: string }
  /** the one that applies in the tenant: its own, else the shared one */
  | { readonly kind: 'applies-in'; readonly tenantId: string | null };

/** The dictionary of the code the owner names, among those the session sees; a 404 naming the code otherwise. */
export async function requireDictionary(session: DbSession, code: string, owner: DictionaryOwner): Promise<DictionaryEntity> {
  const found = await findDictionary(session, code, owner);
  if (!found) throw notFound(DICTIONARY_NOUN, code);
  return found;
}

export async function findDictionary(session: DbSession, code: string, owner: DictionaryOwner): Promise<DictionaryEntity | null> {
  // MariaDB compares codes ignoring case, SQLite does not: the exact comparison below makes both exact
  const candidates = (await session.select(DICTIONARY, 'code = $1', [code])).filter((dictionary) => dictionary.code === code);
  const shared = candidates.find((dictionary) => dictionary.tenantId === null) ?? null;
  const ofTenant = (tenantId: string | null) => candidates.find((dictionary) => tenantId !== null && dictionary.tenantId === tenantId) ?? null;
  switch (owner.kind) {
    case 'shared':
      return shared;
    case 'tenant':
      return ofTenant(owner.tenantId);
    case 'applies-in':
      return ofTenant(owner.tenantId) ?? shared;
  }
}

/**
 * A dictionary the command may change: shared dictionaries are the platform administrator's
 * (a caller who sees every tenant); a tenant overrides one with its own dictionary of the code.
 */
export async function requireWritableDictionary(context: CommandContext, code: string, owner: DictionaryOwner): Promise<DictionaryEntity> {
  const dictionary = await requireDictionary(context.session, code, owner);
  if (dictionary.tenantId === null && context.actor?.scope) {
    throw new ForbiddenError(
      `共享字典 ${dictionary.name}(${code}) 由平台管理员维护，可在本租户新建同编码的字典以覆盖 (the shared dictionary '${code}' is kept by the platform administrator; create a dictionary with the same code in your tenant to override it)`,
    );
  }
  return dictionary;
}

/**
 * Makes a change of the item tree also change the dictionary's row, so that two concurrent
 * changes of the tree cannot both pass their checks on what they read (A moved under B while B
 * moves under A; an item added under one being deleted): the second to commit fails its revision
 * check (409, retry) instead of leaving a loop or an orphan.
 */
export function guardTree(dictionary: DictionaryEntity): void {
  dictionary.rev += 1;
}

/** Audit rows of a tenant's dictionary belong to that tenant; those of a shared one to the administrator's. */
export function auditTenant(dictionary: DictionaryEntity): { tenantId?: string } {
  return dictionary.tenantId === null ? {} : { tenantId: dictionary.tenantId };
}
