import { defineTable } from '../persistence/table.js';

export type InstallState = 'installed' | 'disabled';

/** A plugin installed into a tenant: which version, and whether it is switched on. */
export interface PluginInstallationEntity {
  id: string;
  rev: number;
  tenantId: string;
  plugin: string;
  version: string;
  state: InstallState;
  installed: Date;
  installedBy: string | null;
  updated: Date;
  updatedBy: string | null;
}
export const PLUGIN_INSTALLATION = defineTable<PluginInstallationEntity>('plugin_installation', {
  id: 'string', rev: 'int', tenantId: 'string', plugin: 'string', version: 'string', state: 'string', installed: 'date', installedBy: 'string',
  updated: 'date', updatedBy: 'string',
});

/** A menu entry a plugin adds to one of the apps of a tenant; shown to holders of its permission while the plugin is enabled. */
export interface PluginMenuEntity {
  id: string;
  tenantId: string;
  plugin: string;
  app: 'runtime' | 'designer';
  menuKey: string;
  titleZh: string;
  titleEn: string;
  path: string;
  permission: string | null;
  icon: string | null;
  sortOrder: number;
  enabled: boolean;
}
export const PLUGIN_MENU = defineTable<PluginMenuEntity>('plugin_menu', {
  id: 'string', tenantId: 'string', plugin: 'string', app: 'string', menuKey: 'string', titleZh: 'string', titleEn: 'string', path: 'string',
  permission: 'string', icon: 'string', sortOrder: 'int', enabled: 'bool',
});

/** A statistics definition a plugin ships, stored per tenant as the file says it (the statistics engine reads them later). */
export interface PluginStatisticEntity {
  id: string;
  tenantId: string;
  plugin: string;
  path: string;
  version: string;
  definition: unknown;
  updated: Date;
}
export const PLUGIN_STATISTIC = defineTable<PluginStatisticEntity>('plugin_statistic', {
  id: 'string', tenantId: 'string', plugin: 'string', path: 'string', version: 'string', definition: 'json', updated: 'date',
});

/**
 * What a plugin shipped for one dictionary item of a tenant, as last installed: an upgrade
 * changes the item only where it still holds these values (the administrator has not edited it).
 */
export interface PluginDictionaryItemEntity {
  id: string;
  tenantId: string;
  plugin: string;
  dictionaryCode: string;
  itemCode: string;
  label: string;
  labelEn: string | null;
  extra: Record<string, unknown> | null;
  /** false once a later version stopped shipping the item */
  shipped: boolean;
}
export const PLUGIN_DICTIONARY_ITEM = defineTable<PluginDictionaryItemEntity>('plugin_dict_item', {
  id: 'string', tenantId: 'string', plugin: 'string', dictionaryCode: 'string', itemCode: 'string', label: 'string', labelEn: 'string', extra: 'json',
  shipped: 'bool',
});

/**
 * A permission a plugin granted a role of a tenant (by the role's code, lower case), recorded when
 * the install or upgrade declaring it ran: a later upgrade or reinstall grants only permissions
 * without a record, so one an administrator took away stays away.
 */
export interface PluginRoleGrantEntity {
  id: string;
  tenantId: string;
  plugin: string;
  roleCode: string;
  permission: string;
  granted: Date;
}
export const PLUGIN_ROLE_GRANT = defineTable<PluginRoleGrantEntity>('plugin_role_grant', {
  id: 'string', tenantId: 'string', plugin: 'string', roleCode: 'string', permission: 'string', granted: 'date',
});

/** A plugin's own data step that has run (or was passed by a fresh install) in a tenant. */
export interface PluginMigrationEntity {
  id: string;
  tenantId: string;
  plugin: string;
  migrationId: string;
  version: string;
  ran: Date;
  /** false: a fresh install recorded it without running (its data was already of the new shape) */
  executed: boolean;
}
export const PLUGIN_MIGRATION = defineTable<PluginMigrationEntity>('plugin_migration', {
  id: 'string', tenantId: 'string', plugin: 'string', migrationId: 'string', version: 'string', ran: 'date', executed: 'bool',
});
