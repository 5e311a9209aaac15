/* eslint-disable */
/**
 * Generated from manifest.schema.json by `npm run generate:plugin-types -w @yiwang/engine`
 * (src/plugins/generate-types.ts) with json-schema-to-typescript. Do not edit: change the schema
 * and generate again; generate-types.test.ts fails while this file and the schema disagree.
 */

/**
 * a semantic version: 1.2.3
 *
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "semver".
 */
export type Semver = string;
/**
 * a file inside the plugin's folder
 *
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "path".
 */
export type Path = string;
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "permissionCode".
 */
export type PermissionCode = string;
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "code".
 */
export type Code = string;

/**
 * plugins/<name>/plugin.json: what a yiwang plugin is and what it contributes to the tenant it is installed into. Paths are relative to the plugin's folder.
 */
export interface PluginManifest {
  /**
   * where editors find this schema
   */
  $schema?: string;
  /**
   * the plugin's name; its package is @yiwang/plugin-<name>
   */
  name: string;
  version: Semver;
  title: LocalisedText;
  description: LocalisedText;
  /**
   * a semver range the engine's version must satisfy, e.g. >=0.1.0
   */
  engine: string;
  /**
   * other plugins (by name) and the semver range of each; they are installed first
   */
  dependencies?: {
    [k: string]: string;
  };
  /**
   * planned: a folder whose README says what it will contain; it cannot be installed
   */
  status: 'available' | 'planned';
  contributes?: Contributions;
  /**
   * the plugin's own data steps, each run once per tenant when the tenant upgrades from a version at or after `from` to this one or later
   */
  migrations?: Migration[];
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "localisedText".
 */
export interface LocalisedText {
  'zh-CN': string;
  en: string;
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "contributions".
 */
export interface Contributions {
  /**
   * deployed into the tenant
   */
  processes?: Path[];
  /**
   * deployed with the processes, in the same deployment
   */
  forms?: Path[];
  /**
   * each file a dictionary, see #/$defs/dictionaryFile
   */
  dictionaries?: Path[];
  permissions?: {
    code: PermissionCode;
    name: string;
    nameEn?: string;
    /**
     * default: menu for codes starting with menu:, else action
     */
    kind?: 'menu' | 'action';
  }[];
  /**
   * what the plugin grants, role by role (code): a role the tenant lacks is created; one it has (the seeds' sysadmin, a dependency's role) gains the permissions it lacks. Each is granted once per tenant: an upgrade or reinstall grants only what a version newly declares, never what an administrator took away
   */
  roles?: {
    code: Code;
    name: string;
    /**
     * core permissions, the plugin's own and its dependencies'
     */
    permissions: PermissionCode[];
    /**
     * the data scope of a role the install creates (a tenant without a role of this code); default: self, the least a role that only adds permissions to an existing one should give if it has to be created
     */
    dataScope?: 'all' | 'department-and-below' | 'department' | 'self';
  }[];
  menus?: {
    app: 'runtime' | 'designer';
    key: Code;
    title: LocalisedText;
    /**
     * the app's route
     */
    path: string;
    /**
     * who sees the entry; absent: every signed-in user
     */
    permission?: string;
    icon?: string;
    order?: number;
  }[];
  /**
   * statistics definitions, stored as they are
   */
  statistics?: Path[];
  /**
   * working-calendar defaults, see #/$defs/calendarFile; applied only to a tenant without a calendar of its own
   */
  calendar?: Path;
  /**
   * configures the tenant's public reporting channel (when it has none)
   */
  publicChannel?: {
    processKey: string;
    /**
     * default: case-category
     */
    categoryDictionary?: string;
  };
  /**
   * modules exporting { [topic]: handler }
   */
  workers?: Path[];
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "migration".
 */
export interface Migration {
  /**
   * unique in the plugin; recorded per tenant once run
   */
  id: string;
  /**
   * a semantic version: 1.2.3
   */
  from: string;
  /**
   * see #/$defs/migrationFile
   */
  file: Path;
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "dictionaryItem".
 */
export interface DictionaryItem {
  code: Code;
  label: string;
  labelEn?: string;
  extra?: {
    [k: string]: unknown;
  };
  children?: DictionaryItem[];
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "dictionaryFile".
 */
export interface DictionaryFile {
  $schema?: string;
  code: Code;
  name: string;
  nameEn?: string;
  description?: string;
  hierarchical?: boolean;
  items: DictionaryItem[];
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "calendarFile".
 */
export interface CalendarFile {
  $schema?: string;
  name: string;
  timeZone: string;
  workDays: number[];
  workHours: [string, string][];
  days?: {
    day: string;
    kind: 'holiday' | 'workday';
    name?: string;
  }[];
}
/**
 * This interface was referenced by `PluginManifest`'s JSON-Schema
 * via the `definition` "migrationFile".
 */
export interface MigrationFile {
  $schema?: string;
  description?: string;
  steps: {
    /**
     * changes one item of one of the tenant's dictionaries; a missing item is reported and skipped
     */
    op: 'patch-dictionary-item';
    dictionary: Code;
    item: Code;
    set?: {
      label?: string;
      labelEn?: string;
      enabled?: boolean;
    };
    /**
     * keys set into the item's extra (others kept)
     */
    mergeExtra?: {
      [k: string]: unknown;
    };
  }[];
}
