export { discoverPlugins, ENGINE_VERSION, MANIFEST_FILE, pluginDirectories, readContent, readPlugin, type DiscoveredPlugin, type PluginCatalogue, type PluginContent } from './catalogue.js';
export { checkManifest, MANIFEST_SCHEMA, PluginManifestError, schemaProblems, type ManifestProblem } from './manifest.js';
export type { CalendarFile, DictionaryFile, LocalisedText, MigrationFile, PluginManifest } from './manifest-types.js';
export { InstallPluginCmd, requirePlugin, UpgradePluginCmd, type PluginChange } from './install.js';
export { deploymentName, findInstallation } from './installations.js';
export { DisablePluginCmd, EnablePluginCmd, pluginDefinitions, UninstallPluginCmd, type PluginStateChange } from './lifecycle.js';
export { listPlugins, menusFor, type MenuEntry, type PluginState, type PluginView } from './queries.js';
export { installedPluginNames, installedWorkerModules } from './workers.js';
export { PLUGIN_DICTIONARY_ITEM, PLUGIN_INSTALLATION, PLUGIN_MENU, PLUGIN_MIGRATION, PLUGIN_STATISTIC, type PluginInstallationEntity, type PluginMenuEntity, type PluginStatisticEntity } from './tables.js';
