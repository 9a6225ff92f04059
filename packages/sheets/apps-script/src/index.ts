/**
 * The Apps Script entry points. build.mjs bundles this module as `var Kabar = (() => {...})()` and
 * adds a top-level `function name(arg) { return Kabar.name(arg); }` for every export, because menus,
 * triggers and google.script.run find functions by name in the global scope.
 */
export {
  continueBroadcast,
  resetStatus,
  sendBroadcast,
  showStatus,
  stopBroadcast,
} from './broadcast';
export { onOpen, openSettings, saveSettings } from './ui';
