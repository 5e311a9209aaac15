export { CreateDictionaryCmd, DeleteDictionaryCmd, UpdateDictionaryCmd, type DictionaryChanges, type DictionaryInput } from './dictionaries.js';
export {
  CreateItemCmd,
  DeleteItemCmd,
  flattenItemTree,
  replaceItems,
  ReplaceItemsCmd,
  UpdateItemCmd,
  type ItemChanges,
  type ItemInput,
  type ItemTreeInput,
  type ReplaceSummary,
} from './items.js';
export { DICTIONARY_NOUN, findDictionary, ITEM_NOUN, type DictionaryOwner } from './owner.js';
export {
  countDictionaries,
  dictionaryItemsExist,
  findDictionaryItems,
  getDictionary,
  getItem,
  listDictionaries,
  pickerItems,
  type DictionaryDetail,
  type DictionaryQuery,
  type DictionarySortKey,
  type DictionaryView,
  type ItemNode,
  type ItemView,
} from './queries.js';
