import type { CommandContext } from '../command/index.js';
import { flattenItemTree, replaceItems } from '../dictionaries/index.js';
import { DICTIONARY, placeholders } from '../persistence/index.js';
import { naturalKey, type DictionarySeed } from './seed-data.js';

/**
 * Creates the seeded dictionaries that do not exist yet (by owner and code), each with all its
 * items; a dictionary that exists is left exactly as it is, items included.
 */
export async function createDictionaries(context: CommandContext, seeds: readonly DictionarySeed[]): Promise<number> {
  if (seeds.length === 0) return 0;
  const codes = [...new Set(seeds.map((seed) => seed.code))];
  const existing = await context.session.select(DICTIONARY, `code IN (${placeholders(codes.length)})`, codes);
  const known = new Set(existing.map((dictionary) => naturalKey(dictionary.tenantId ?? '', dictionary.code)));
  const missing = seeds.filter((seed) => !known.has(naturalKey(seed.tenant ?? '', seed.code)));
  for (const seed of missing) {
    const dictionary = context.session.insert(DICTIONARY, {
      id: context.newId(), rev: 1, tenantId: seed.tenant ?? null, code: seed.code, name: seed.name, description: seed.description ?? null,
      hierarchical: seed.hierarchical ?? false,
    });
    await replaceItems(context, dictionary, flattenItemTree(seed.items));
  }
  return missing.length;
}
