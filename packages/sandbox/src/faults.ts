import { randomUUID } from 'node:crypto';
import { isRecord, type Outcome, type Reply } from './http.js';
import type { ActiveFault, Fault, Provider } from './types.js';

/** A checked fault, or what is wrong with it. */
export type ValidatedFault = { ok: true; fault: Fault } | { ok: false; error: string };

/** Checks a POST /api/v1/faults body; `providers` are the gateways the sandbox serves. */
export function validateFault(body: unknown, providers: readonly Provider[]): ValidatedFault {
  if (!isRecord(body)) return { ok: false, error: 'fault must be a JSON object' };
  const problems: string[] = [];
  const { provider, path, method, status, retryAfter, latencyMs, reset, when, times, probability } =
    body;
  const isNumber = (value: unknown, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

  if (provider !== undefined && !providers.includes(provider as Provider)) {
    problems.push(`provider must be one of ${providers.join(', ')}`);
  }
  if (path !== undefined && typeof path !== 'string') problems.push('path must be a string');
  if (method !== undefined && typeof method !== 'string') problems.push('method must be a string');
  if (status !== undefined && !(Number.isInteger(status) && isNumber(status, 100, 599))) {
    problems.push('status must be an HTTP status code');
  }
  if (retryAfter !== undefined && !isNumber(retryAfter, 0, 86_400)) {
    problems.push('retryAfter must be seconds (0..86400)');
  }
  if (latencyMs !== undefined && !isNumber(latencyMs, 0, 600_000)) {
    problems.push('latencyMs must be 0..600000');
  }
  if (reset !== undefined && typeof reset !== 'boolean') problems.push('reset must be a boolean');
  if (when !== undefined && when !== 'before' && when !== 'after') {
    problems.push("when must be 'before' or 'after'");
  }
  if (
    times !== undefined &&
    !(Number.isInteger(times) && isNumber(times, 1, Number.MAX_SAFE_INTEGER))
  ) {
    problems.push('times must be a positive integer');
  }
  if (probability !== undefined && !isNumber(probability, 0, 1)) {
    problems.push('probability must be between 0 and 1');
  }
  if (status === undefined && latencyMs === undefined && reset !== true) {
    problems.push('a fault needs at least one of status, latencyMs or reset: true');
  }
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, fault: body as Fault };
}

/** Faults set at runtime; the first one matching a request applies to it. */
export class FaultStore {
  #faults: ActiveFault[] = [];

  add(fault: Fault): ActiveFault {
    const active: ActiveFault = {
      ...fault,
      id: randomUUID(),
      when: fault.when ?? 'before',
      remaining: fault.times ?? null,
    };
    this.#faults.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return [...this.#faults];
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length < before;
  }

  reset(): void {
    this.#faults = [];
  }

  /** Finds the fault for this request and uses up one of its `times`. */
  take(provider: Provider, method: string, path: string): ActiveFault | undefined {
    const fault = this.#faults.find(
      (candidate) =>
        (candidate.provider === undefined || candidate.provider === provider) &&
        (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
        (candidate.path === undefined || path.includes(candidate.path)) &&
        Math.random() < (candidate.probability ?? 1),
    );
    if (fault?.remaining != null) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.remove(fault.id);
    }
    return fault;
  }
}

/**
 * What the fault does to the response: drop the connection, answer with its status, or nothing
 * (latency only). `errorFor` gives the provider's own error body when the fault has none.
 */
export function faultOutcome(
  fault: ActiveFault,
  errorFor: (status: number) => Reply,
): Outcome | undefined {
  if (fault.reset) return 'reset';
  if (fault.status === undefined) return undefined;
  const reply: Reply = {
    status: fault.status,
    body: fault.body === undefined ? errorFor(fault.status).body : fault.body,
  };
  if (fault.retryAfter !== undefined) reply.headers = { 'retry-after': String(fault.retryAfter) };
  return reply;
}
