import type { GatewayRequest } from './gateway';
import { isRecord, json, parseJson, type Reply } from './http';

/** Qirim's uniform envelopes: `{ success: true, data }` and `{ success: false, error }`. */
export function qirimOk(status: number, data: unknown): Reply {
  return json(status, { success: true, data });
}

export function qirimError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Reply {
  return json(status, { success: false, error: { code, message, ...details } });
}

export function validationError(fields: Record<string, string>): Reply {
  return qirimError(422, 'validation_error', 'Body tidak valid', { fields });
}

export const invalidPhone = (): Reply => qirimError(422, 'invalid_phone', 'Nomor tidak valid');

export type QirimBody = { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply };

export function jsonObject(req: GatewayRequest): QirimBody {
  const parsed = parseJson(req.body);
  if (parsed.ok && isRecord(parsed.value)) return { ok: true, value: parsed.value };
  return { ok: false, reply: validationError({ body: 'must be a JSON object' }) };
}
