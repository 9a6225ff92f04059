import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { faultOutcome } from './faults.js';
import { type Outcome, type Reply, sleep } from './http.js';
import type { Claim } from './idempotency.js';
import { recordingRequest } from './recorded-request.js';
import type { SandboxState } from './state.js';
import type { Provider } from './types.js';

/** A request before its body is read: enough to authenticate it. */
export interface GatewayRequestHead {
  method: string;
  /** The path after the provider prefix, e.g. '/v1/messages'. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** 'http://host:port' as the client addressed the sandbox, for URLs handed back to it. */
  origin: string;
}

/** A request to an emulated gateway, body included. */
export interface GatewayRequest extends GatewayRequestHead {
  body: Buffer;
}

/** One emulated provider dialect. */
export interface Gateway {
  readonly provider: Provider;
  /** The provider's 401 when the credentials are missing or wrong, else undefined. Headers only. */
  authenticate(req: GatewayRequestHead): Reply | undefined;
  handle(req: GatewayRequest): Reply | Promise<Reply>;
  /** The provider's own error body for a bare HTTP status (injected faults, oversized bodies). */
  errorFor(status: number): Reply;
  /** Present when the provider deduplicates requests by a client-chosen key. */
  idempotency?: {
    /** A key unique to this credential and client key, or undefined when the request is not deduplicated. */
    scope(req: GatewayRequest): string | undefined;
    conflict(): Reply;
  };
}

const NOT_DEDUPLICATED: Claim = { kind: 'owner', settle: () => {} };

/**
 * The request pipeline every provider shares, for a request already authenticated: claim the
 * idempotency key, apply a 'before' fault, handle (or replay), remember the result, apply an
 * 'after' fault.
 */
export async function serveGateway(
  gateway: Gateway,
  state: SandboxState,
  req: GatewayRequest,
): Promise<Outcome> {
  const scope = gateway.idempotency?.scope(req);
  const claim = scope ? await state.idempotency.claim(scope, fingerprint(req)) : NOT_DEDUPLICATED;
  if (claim.kind === 'conflict') return gateway.idempotency?.conflict() ?? gateway.errorFor(422);

  try {
    // A replayed answer can be lost on the way back like any other, so faults apply to it too.
    const fault = state.faults.take(gateway.provider, req.method, req.path);
    const errorFor = (status: number) => gateway.errorFor(status);
    if (fault && fault.when !== 'after') {
      await sleep(fault.latencyMs ?? 0);
      const failure = faultOutcome(fault, errorFor);
      if (failure) return failure;
    }
    const reply =
      claim.kind === 'replay'
        ? { ...claim.reply, headers: { ...claim.reply.headers, 'idempotent-replayed': 'true' } }
        : await recordingRequest(gateway.provider, req, () => gateway.handle(req));
    // Remember the result now, before any 'after' fault: the gateway has accepted the message even
    // if the client is about to lose the response.
    if (claim.kind === 'owner') claim.settle(reply);
    if (fault?.when === 'after') {
      await sleep(fault.latencyMs ?? 0);
      return faultOutcome(fault, errorFor) ?? reply;
    }
    return reply;
  } finally {
    if (claim.kind === 'owner') claim.settle();
  }
}

function fingerprint(req: GatewayRequest): string {
  return createHash('sha256').update(`${req.method} ${req.path}\n`).update(req.body).digest('hex');
}
