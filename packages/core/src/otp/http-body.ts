import { KabarError, ValidationError } from '../errors.js';
import type { OtpRequest } from '../resources.js';

/** The three OTP routes, named by the last part of their path. */
export type OtpRoute = 'request' | 'verify' | 'resend';

/**
 * Who calls the routes. Browsers may only name the number, the code and one of the purposes the
 * server configured; a trusted backend (Qirim's own contract) may also choose code length and
 * lifetime, within the engine's bounds.
 */
export type OtpContract =
  | { kind: 'browser'; purposes: readonly string[] }
  | { kind: 'trusted'; apiKey: string };

/** A body asking for a code (`request` or `resend`), read and checked against the contract. */
export type OtpIssueCall = { route: 'request' | 'resend'; request: OtpRequest };

/** A body checking a code, read and checked against the contract. */
export type OtpVerifyCall = {
  route: 'verify';
  check: { phone: string; code: string; purpose: string | undefined };
};

/** What a body asks for, read and checked against the contract. */
export type OtpCall = OtpIssueCall | OtpVerifyCall;

const ISSUE_FIELDS = {
  browser: ['phone', 'purpose'],
  trusted: ['phone', 'purpose', 'code_length', 'ttl'],
} as const;
const VERIFY_FIELDS = ['phone', 'purpose', 'code'] as const;

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return body as Record<string, unknown>;
  }
  throw new KabarError('validation', 'body must be a JSON object', { status: 422 });
}

// A field the route does not know is refused rather than ignored: a caller who sends `ttl` or
// `code_length` believes it has an effect, and on the browser contract it must not.
function refuseUnknownFields(body: Record<string, unknown>, allowed: readonly string[]) {
  const unknown = Object.keys(body).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new ValidationError(
      unknown,
      `not accepted here; this route takes ${allowed.join(', ')}`,
      {
        status: 422,
      },
    );
  }
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function number(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return value === undefined ? undefined : Number(value);
}

function purpose(contract: OtpContract, body: Record<string, unknown>): string | undefined {
  const given = body.purpose;
  switch (contract.kind) {
    case 'trusted':
      if (given === undefined) return undefined;
      if (typeof given !== 'string' || given === '') {
        throw new ValidationError('purpose', 'must be a non-empty string', { status: 422 });
      }
      return given;
    case 'browser': {
      const [first] = contract.purposes;
      if (given === undefined) return first;
      if (typeof given === 'string' && contract.purposes.includes(given)) return given;
      throw new ValidationError(
        'purpose',
        `must be one of ${contract.purposes.join(', ')}, or left out`,
        { status: 422 },
      );
    }
  }
}

/** Reads a JSON body for a route; throws `validation` (422, naming the field) for what it refuses. */
export function readOtpBody(
  contract: OtpContract,
  route: 'verify',
  rawBody: unknown,
): OtpVerifyCall;
export function readOtpBody(
  contract: OtpContract,
  route: 'request' | 'resend',
  rawBody: unknown,
): OtpIssueCall;
export function readOtpBody(contract: OtpContract, route: OtpRoute, rawBody: unknown): OtpCall;
export function readOtpBody(contract: OtpContract, route: OtpRoute, rawBody: unknown): OtpCall {
  const body = objectBody(rawBody);
  if (route === 'verify') {
    refuseUnknownFields(body, VERIFY_FIELDS);
    return {
      route,
      check: {
        phone: text(body, 'phone'),
        code: text(body, 'code'),
        purpose: purpose(contract, body),
      },
    };
  }
  refuseUnknownFields(body, ISSUE_FIELDS[contract.kind]);
  return {
    route,
    request: {
      phone: text(body, 'phone'),
      purpose: purpose(contract, body),
      codeLength: number(body, 'code_length'),
      ttl: number(body, 'ttl'),
    },
  };
}
