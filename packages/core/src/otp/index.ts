export {
  createOtpEngine,
  type OtpDelivery,
  type OtpEngine,
  type OtpEngineOptions,
  qirimOtpEngine,
} from './engine.js';
export {
  createOtpHttpHandler,
  type Limit,
  type OtpHttpOptions,
  type OtpHttpRequest,
  type OtpHttpResponse,
  type OtpRoute,
  otpErrorResponse,
} from './http.js';
export {
  type IssueInput,
  type IssueResult,
  memoryOtpStore,
  type OtpRecord,
  type OtpStore,
  type VerifyInput,
  type VerifyResult,
} from './store.js';
