export {
  createOtpEngine,
  type OtpDelivery,
  type OtpEngine,
  type OtpEngineOptions,
  qirimOtpEngine,
} from './engine.js';
export {
  type IssueInput,
  type IssueResult,
  memoryOtpStore,
  type OtpRecord,
  type OtpStore,
  type VerifyInput,
  type VerifyResult,
} from './store.js';
