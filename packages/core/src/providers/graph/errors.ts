import type { ErrorCode, KabarError } from '../../errors.js';
import { errorForStatus } from '../../http-errors.js';

/** A Graph API error object, as Meta returns it and as Kirem passes it through in `errors`. */
export interface GraphErrorObject {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string };
  fbtrace_id?: string;
}

/** Whether a value looks like a Graph API error object. */
export function isGraphErrorObject(value: unknown): value is GraphErrorObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'number'
  );
}

/** Meta's error codes, classified by what the caller has to do about them. */
function codeForGraphError(error: GraphErrorObject): ErrorCode | undefined {
  const { code, error_subcode: subcode } = error;
  switch (code) {
    case 0:
    case 102:
    case 190:
      return 'unauthenticated';
    case 3:
    case 10:
    case 368:
      return 'forbidden';
    case 4:
    case 80007:
    case 130429:
    case 131056:
      return 'rate_limited';
    case 131048:
      return 'quota_exceeded';
    case 100:
      return subcode === 33 ? 'not_found' : 'validation';
    case 131008:
    case 131009:
    case 131051:
    case 132005:
      return 'validation';
    case 131026:
      return 'undeliverable';
    case 131047:
      return 'outside_window';
    case 131050:
      // The customer turned off marketing messages from this business.
      return 'opted_out';
    case 131052:
    case 131053:
      return 'media_error';
    case 132001:
      return 'template_not_found';
    case 132000:
      // The Kirem seed reports an unapproved template as 132000 with subcode 2490001;
      // Meta itself uses 132000 for a wrong parameter count.
      return subcode === 2490001 || /not approved/i.test(error.message ?? '')
        ? 'template_not_approved'
        : 'template_params_mismatch';
    case 132007:
    case 132015:
    case 132016:
      return 'template_not_approved';
    case 132012:
    case 132018:
      return 'template_params_mismatch';
    default:
      return undefined;
  }
}

function transience(code: number | undefined): 'turned_away' | 'maybe_accepted' | undefined {
  // Throughput limits: the message was refused, so a later retry cannot duplicate it.
  if (code === 4 || code === 80007 || code === 130429) return 'turned_away';
  // "Temporarily unavailable" and "something went wrong": Meta may have accepted the message.
  if (code === 1 || code === 2 || code === 131000 || code === 131016) return 'maybe_accepted';
  return undefined;
}

/** The `KabarError` for a Graph API error, with its code, transience and Meta's own fields. */
export function graphError(
  error: GraphErrorObject,
  status: number,
  headers: Headers,
  provider: string,
): KabarError {
  const code = codeForGraphError(error);
  const detail = error.error_data?.details;
  const message = [error.message ?? 'request failed', detail].filter(Boolean).join(': ');
  return errorForStatus({
    status,
    headers,
    provider,
    message,
    code,
    providerCode: error.code,
    details: error,
    transient: transience(error.code),
  });
}
