import {
  type OutgoingMessage,
  prepareMessage,
  type ReconcileOptions,
  type Reconciliation,
  reconcileSend,
  type WhatsAppClient,
} from '@kabar/core';

/** A row's send that may or may not have reached the gateway. */
export interface UncertainRow {
  message: OutgoingMessage;
  /** The recipient as the row gave it; undefined for a message without one. */
  to: string | undefined;
  /** When the first try that may have been accepted started. */
  startedAt: string;
  /** Messages the broadcast's other rows sent to the same number. */
  otherMessageIds: string[];
}

/**
 * What the gateway's own records say about a row's uncertain send. Never throws: when the
 * gateway cannot be asked (or the message cannot be looked up), the answer is `unknown` with the
 * reason, and the row is left for a person, as it would have been without asking.
 */
export async function askGateway(
  client: WhatsAppClient,
  row: UncertainRow,
  options: ReconcileOptions,
): Promise<Reconciliation> {
  if (row.to === undefined) {
    return { outcome: 'unknown', evidence: 'the message has no recipient to look up' };
  }
  try {
    const send = {
      to: row.to,
      startedAt: row.startedAt,
      type: prepareMessage(row.message).kind,
      excludeMessageIds: row.otherMessageIds,
    };
    return await reconcileSend(client, send, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { outcome: 'unknown', evidence: `the gateway's records could not be read: ${reason}` };
  }
}
