export { createApp, decodeSecret, signWoo, verifyWooSignature } from './app.js';
export {
  ConfigError,
  configJsonSchema,
  DEV_ADMIN_TOKEN,
  DEV_WEBHOOK_SECRET,
  defaultConfig,
  loadConfig,
  type OutboxConfig,
  type StatusRule,
  validateConfig,
  type WooNotifyConfig,
} from './config.js';
export { createLogger, type Logger } from './log.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
export { formatAmount, formatIdr, planOrder, productList, type WooOrder } from './order.js';
export { type OrderInput, readOrder } from './order-input.js';
export {
  type FailedPage,
  type Outbox,
  type OutboxRow,
  type OutboxState,
  type OutboxStore,
  openOutbox,
  type RowPatch,
} from './outbox.js';
export {
  type ReconcileReport,
  type Reconciler,
  type ReconcileStore,
  reconcileOnce,
  type Verdict,
} from './reconcile.js';
export { openRedisOutbox, type RedisOutbox } from './redis-outbox.js';
export { checkTemplates, type RunningService, startService } from './service.js';
