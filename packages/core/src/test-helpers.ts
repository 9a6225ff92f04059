import { KabarError } from './errors.js';

/** Awaits a call that must fail and hands back its KabarError (anything else fails the test). */
export async function failure(promise: Promise<unknown>): Promise<KabarError> {
  try {
    await promise;
  } catch (error) {
    if (KabarError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
