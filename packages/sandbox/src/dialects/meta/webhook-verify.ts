import { randomDigits } from '../../ids.js';
import { fetchLimited } from '../../limited-fetch.js';
import type { WebhookVerification } from '../../types.js';

const VERIFY_TIMEOUT_MS = 5000;
/**
 * The handshake needs only the echoed challenge (ten digits); this much of any other answer is
 * enough to see what the receiver said, and never a whole page of whatever the URL serves.
 */
const RESPONSE_BODY_LIMIT = 256;

/**
 * Meta's subscription handshake, as its dashboard runs it when a callback URL is saved: a GET with
 * hub.mode=subscribe, the verify token and a challenge, which the receiver must echo back with 200.
 */
export async function verifyMetaWebhook(
  url: string,
  verifyToken: string,
): Promise<WebhookVerification> {
  const challenge = randomDigits(10);
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.verify_token', verifyToken);
  target.searchParams.set('hub.challenge', challenge);
  try {
    const response = await fetchLimited(target.href, {
      maxBytes: RESPONSE_BODY_LIMIT,
      timeoutMs: VERIFY_TIMEOUT_MS,
    });
    const responseBody = new TextDecoder().decode(response.body);
    return {
      verified: response.status === 200 && responseBody === challenge,
      url: target.toString(),
      challenge,
      status: response.status,
      responseBody,
    };
  } catch (error) {
    return {
      verified: false,
      url: target.toString(),
      challenge,
      status: null,
      responseBody: '',
      error: String(error),
    };
  }
}
