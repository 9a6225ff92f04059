import type { KabarError } from './errors.js';

/** What the client is doing: a send, or one of the resource calls (`templates.list`, ...). */
export type Operation = string;

export interface RequestEvent {
  provider: string;
  operation: Operation;
  attempt: number;
  method: string;
  url: string;
  /** Credentials are replaced by `[redacted]`. */
  headers: Record<string, string>;
}

export interface ResponseEvent {
  provider: string;
  operation: Operation;
  attempt: number;
  method: string;
  url: string;
  /** Absent when no response came back (network failure, timeout). */
  status?: number;
  durationMs: number;
  error?: KabarError;
}

export interface RetryEvent {
  provider: string;
  operation: Operation;
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
  error: KabarError;
}

/**
 * Observers for logging and metrics. They cannot change a request, and an exception thrown by a
 * hook is ignored: a broken logger must never turn a delivered message into a failed send that the
 * caller would then repeat.
 */
export interface Hooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onRetry?(event: RetryEvent): void;
}

export function callHook<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // See `Hooks`: observers never change the outcome of a request.
  }
}
