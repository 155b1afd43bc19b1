// The config part of warmleak: loading the project's config and resolving one handler's settings from it.
export { CONFIG_FILES, loadConfig } from './load.js';
export { globToRegExp, matchesHandler, settingsFor } from './resolve.js';
export {
  defineConfig,
  type HandlerSettings,
  type Isolation,
  type LoadedConfig,
  type WarmleakConfig,
} from './types.js';
