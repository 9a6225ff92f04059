export {
  createOtpEngine,
  type OtpDelivery,
  type OtpEngine,
  type OtpEngineOptions,
  type OtpTemplate,
  qirimOtpEngine,
} from './engine.js';
export {
  createOtpHttpHandler,
  createTrustedOtpHttpHandler,
  type Limit,
  type OtpHttpCommonOptions,
  type OtpHttpHandler,
  type OtpHttpLimits,
  type OtpHttpOptions,
  type OtpHttpRequest,
  type TrustedOtpHttpOptions,
} from './http.js';
export type { OtpRoute } from './http-body.js';
export { type OtpHttpResponse, otpErrorResponse } from './http-response.js';
export {
  type IssueInput,
  type IssueResult,
  memoryOtpStore,
  type OtpRecord,
  type OtpStore,
  type VerifyInput,
  type VerifyResult,
} from './store.js';
