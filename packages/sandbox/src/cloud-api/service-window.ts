import type { StatusError, TemplateProvider } from '../types.js';

/** How long a customer's message keeps the customer service window open. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What Meta reports on the failed status of a free-form message sent outside the customer service
 * window. Code and details as in Meta's error code table
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes);
 * the title, repeated as the message, is the code's name there.
 */
export const REENGAGEMENT_FAILURE: StatusError = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  details: 'More than 24 hours have passed since the recipient last replied to the sender number.',
};

/** Who the customer is: the number, the business-scoped user id (BSUID), or both. */
export interface Customer {
  from?: string;
  userId?: string;
}

/**
 * The 24-hour customer service windows: when each customer last wrote to each business number
 * (per provider and phone number id), by number and by BSUID. Recorded always, so turning
 * enforcement on mid-test honours earlier messages; enforced only when `enforced` is true.
 */
export class ServiceWindows {
  #lastInbound = new Map<string, number>();
  enforced: boolean;

  constructor(private readonly enforcedAtStart: boolean) {
    this.enforced = enforcedAtStart;
  }

  /** The customer wrote at `at` (ms): the window opens, or opens again, for 24 hours. */
  open(provider: TemplateProvider, phoneNumberId: string, customer: Customer, at: number): void {
    for (const key of keys(provider, phoneNumberId, customer)) this.#lastInbound.set(key, at);
  }

  /** Whether a free-form message to the customer is inside a window at `now` (ms). */
  isOpen(
    provider: TemplateProvider,
    phoneNumberId: string,
    customer: Customer,
    now: number,
  ): boolean {
    return keys(provider, phoneNumberId, customer).some((key) => {
      const last = this.#lastInbound.get(key);
      return last !== undefined && now - last <= SERVICE_WINDOW_MS;
    });
  }

  /** Forgets every window and puts enforcement back to what the options said. */
  reset(): void {
    this.#lastInbound.clear();
    this.enforced = this.enforcedAtStart;
  }
}

function keys(provider: string, phoneNumberId: string, customer: Customer): string[] {
  const prefix = `${provider}\u0000${phoneNumberId}\u0000`;
  return [
    ...(customer.from ? [`${prefix}wa:${customer.from}`] : []),
    ...(customer.userId ? [`${prefix}user:${customer.userId}`] : []),
  ];
}
