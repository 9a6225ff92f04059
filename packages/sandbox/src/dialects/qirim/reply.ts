import type { GatewayRequest } from '../../gateway.js';
import { isRecord, json, parseJson, type Reply } from '../../http.js';

/** Qirim's uniform envelopes: `{ success: true, data }` and `{ success: false, error }`. */
/** Qirim's success envelope. */
export function qirimOk(status: number, data: unknown): Reply {
  return json(status, { success: true, data });
}

/** Qirim's error envelope; `details` sit next to code and message. */
export function qirimError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Reply {
  return json(status, { success: false, error: { code, message, ...details } });
}

/** Qirim's 422 naming each bad field. */
export function validationError(fields: Record<string, string>): Reply {
  return qirimError(422, 'validation_error', 'Body tidak valid', { fields });
}

/** Qirim's 422 for a number that is not an Indonesian mobile number. */
export const invalidPhone = (): Reply => qirimError(422, 'invalid_phone', 'Nomor tidak valid');

/** A JSON object body, or Qirim's validation error for one that is not. */
export type QirimBody = { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply };

/** The body as a JSON object, as every Qirim POST takes it. */
export function jsonObject(req: GatewayRequest): QirimBody {
  const parsed = parseJson(req.body);
  if (parsed.ok && isRecord(parsed.value)) return { ok: true, value: parsed.value };
  return { ok: false, reply: validationError({ body: 'must be a JSON object' }) };
}
