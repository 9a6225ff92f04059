import type { ControlCalls } from '../../control-calls.js';
import type { QirimControl, QirimOtp, QirimTemplate } from '../../types.js';

/** Qirim's control methods, as requests to the routes in control.ts. */
export function qirimClient({ required, optional, query }: ControlCalls): QirimControl {
  return {
    qirimOtp: (phone: string) => optional<QirimOtp>(`/qirim/otp${query({ phone })}`),
    addQirimTemplate: (template: QirimTemplate) =>
      required<QirimTemplate>('POST', '/qirim/templates', template),
  };
}
