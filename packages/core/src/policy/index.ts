export {
  type ConsentRecord,
  type ConsentStatus,
  type ConsentStore,
  memoryConsentStore,
} from './consent.js';
export type { OutsideWindow, SendPolicy, WindowPolicy } from './send-policy.js';
export {
  type ConsentKeyword,
  type ConversationTracker,
  type ConversationTrackerOptions,
  consentContact,
  createConversationTracker,
} from './tracker.js';
export {
  type ConversationKey,
  CUSTOMER_WINDOW_MS,
  type MemoryWindowStoreOptions,
  memoryWindowStore,
  type WindowStore,
  windowOpen,
} from './window.js';
