export {
  type BroadcastOptions,
  type BroadcastProgress,
  type BroadcastResult,
  type BroadcastRun,
  type BroadcastSummary,
  broadcast,
} from './broadcast.js';
export { messageRecipient } from './recipient.js';
