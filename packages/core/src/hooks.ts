import type { KabarError } from './errors.js';

/**
 * What the client is doing: `send`, or the client call's name (`templates.list`, `otp.verify`,
 * `mcp.tools/list`, ...).
 */
export type Operation = string;

/** An HTTP request about to be sent. */
export interface RequestEvent {
  /** The provider's name, e.g. `kirem`. */
  provider: string;
  operation: Operation;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** Credentials are replaced by `[redacted]`. */
  url: string;
  /** Credentials are replaced by `[redacted]`. */
  headers: Record<string, string>;
}

/** How one HTTP attempt ended: with a response of any status, or with an error. */
export interface ResponseEvent {
  /** The provider's name, e.g. `kirem`. */
  provider: string;
  operation: Operation;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** Credentials are replaced by `[redacted]`. */
  url: string;
  /** Absent when no response came back (network failure, timeout). */
  status?: number;
  /**
   * Milliseconds from sending the request until the response was read (for streamed downloads,
   * until its headers arrived) or the attempt failed.
   */
  durationMs: number;
  /** Why no response came back (`network`, `timeout`, `aborted`); credentials redacted. */
  error?: KabarError;
}

/** A failed attempt that the client will retry after a delay. */
export interface RetryEvent {
  /** The provider's name, e.g. `kirem`. */
  provider: string;
  operation: Operation;
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  /** Milliseconds the client waits before that attempt (the gateway's requested wait, if any). */
  delayMs: number;
  /** The failure being retried; credentials redacted. */
  error: KabarError;
}

/**
 * A client call that failed for good: a gateway call after its last attempt, or a send refused
 * before any request (validation, an unsupported feature, the send policy).
 */
export interface FailureEvent {
  /** The provider's name, e.g. `kirem`. */
  provider: string;
  operation: Operation;
  /** HTTP attempts made: 0 when the call was refused before any request. */
  attempts: number;
  /** What the call rejects with, credentials redacted: a `KabarError` unless something else threw. */
  error: unknown;
}

/**
 * Observers for logging and metrics. They cannot change a request, and an exception thrown by a
 * hook is ignored: a broken logger must never turn a delivered message into a failed send that the
 * caller would then repeat.
 */
export interface Hooks {
  /** Called before every HTTP attempt, retries included. */
  onRequest?(event: RequestEvent): void;
  /** Called as each HTTP attempt ends, with its status whatever it is, or with its error. */
  onResponse?(event: ResponseEvent): void;
  /** Called when the client has decided to retry, before it waits `event.delayMs`. */
  onRetry?(event: RetryEvent): void;
  /** Called once when a call fails for good, just before it rejects (see `FailureEvent`). */
  onFailure?(event: FailureEvent): void;
}

/** Calls `hook` with `event`, if there is one, and ignores anything it throws (see `Hooks`). */
export function callHook<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // See `Hooks`: observers never change the outcome of a request.
  }
}
