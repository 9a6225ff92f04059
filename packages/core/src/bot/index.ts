export {
  type Bot,
  type BotCall,
  type BotContext,
  type BotHandler,
  type BotOptions,
  type ChatState,
  createBot,
  type Pattern,
  type Replies,
  type ReplyMessage,
} from './bot.js';
export { type ChatStateStore, memoryChatStateStore } from './chat-state.js';
