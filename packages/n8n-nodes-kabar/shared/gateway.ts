import {
  createClient,
  type FetchFunction,
  type KabarError,
  type WhatsAppClient,
} from '@kabar/core';
import {
  createProvider,
  type GatewayName,
  gatewayNamed,
  isGatewayName,
} from '@kabar/core/gateways';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** A gateway the credential can select: every gateway in @kabar/core's registry. */
export type Gateway = GatewayName;

function text(credentials: ICredentialDataDecryptedObject, name: string): string | undefined {
  const value = credentials[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The gateway the credential selects (Kirem for credentials saved before the selector existed). */
export function gatewayOf(credentials: ICredentialDataDecryptedObject): Gateway {
  const gateway = text(credentials, 'gateway') ?? 'kirem';
  if (!isGatewayName(gateway)) throw new Error(`Unknown gateway "${gateway}"`);
  return gateway;
}

/**
 * The credential setting that picks the sending number, on gateways where one key reaches
 * several: a Kirem or Meta phone number id, a Kirimy session. The other gateways send from the one
 * device their key belongs to.
 */
export const SENDER_SETTING: Partial<Record<Gateway, 'phoneNumberId' | 'sessionId'>> = {
  kirem: 'phoneNumberId',
  meta: 'phoneNumberId',
  kirimy: 'sessionId',
};

/** How {@link clientFor} builds its client, besides the credential. */
export interface ClientSettings {
  /** Sends every request through this fetch (n8n's HTTP helpers); core's own transport when absent. */
  fetch?: FetchFunction;
  /** Sends from this number or session instead of the credential's ({@link SENDER_SETTING}). */
  sender?: string;
}

/** The @kabar/core client for the gateway the credential names, from its registry settings. */
export function clientFor(
  credentials: ICredentialDataDecryptedObject,
  { fetch, sender }: ClientSettings = {},
): WhatsAppClient {
  const gateway = gatewayNamed(gatewayOf(credentials));
  const senderKey = SENDER_SETTING[gateway.name];
  if (sender !== undefined && senderKey === undefined) {
    throw new Error(
      `${gateway.label} sends from the one number its key belongs to: leave Sender empty`,
    );
  }
  const settings: Record<string, string | undefined> = {};
  for (const field of gateway.credentials) {
    settings[field.key] =
      field.key === senderKey && sender !== undefined ? sender : text(credentials, field.key);
    // Say it in the credential form's words rather than the provider option's.
    if (field.required && settings[field.key] === undefined) {
      throw new Error(`The Kabar WhatsApp credential needs "${field.label}"`);
    }
  }
  return createClient({
    provider: createProvider(gateway.name, settings),
    ...(fetch ? { fetch } : {}),
  });
}

const PROBE_SESSION = 'kabar-credential-test';

/** The answer of a call that must fail, if it fails with `code`; anything else is passed on. */
async function refusedWith(call: Promise<unknown>, code: string): Promise<boolean> {
  return call.then(
    () => false,
    (error: KabarError) => (error.code === code ? true : Promise.reject(error)),
  );
}

/**
 * Proves the credential works with one authenticated call that sends nothing. Gateways that run a
 * WhatsApp session report it; the others get their cheapest authenticated read. Qirim and Kirimy
 * have no harmless read, so they get a request the gateway refuses only after accepting the key:
 * Qirim a batch that does not exist, Kirimy a session that does not exist.
 */
export async function probe(credentials: ICredentialDataDecryptedObject): Promise<string> {
  const gateway = gatewayOf(credentials);
  const client = clientFor(credentials);
  switch (gateway) {
    case 'kirem':
      await client.templates.list();
      return 'templates listed';
    case 'meta':
      await client.profile.get();
      return 'business profile read';
    case 'qirim':
      await refusedWith(client.batches.get(PROBE_SESSION), 'not_found');
      return 'key accepted';
    case 'kirimy': {
      const probeClient = clientFor({ ...credentials, sessionId: PROBE_SESSION });
      const send = probeClient.send({ to: '6281100000000', text: 'credential test' });
      await refusedWith(send, 'session_inactive');
      return 'key accepted';
    }
    default: {
      const { authenticated } = await client.connection.status();
      return authenticated
        ? 'WhatsApp session logged in'
        : 'key accepted, but the WhatsApp session is logged out';
    }
  }
}
