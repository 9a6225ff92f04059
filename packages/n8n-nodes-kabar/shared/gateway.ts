import { createClient, type KabarError, type WhatsAppClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { kirimy } from '@kabar/core/kirimy';
import { meta } from '@kabar/core/meta';
import { qirim } from '@kabar/core/qirim';
import { waviro } from '@kabar/core/waviro';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type Gateway = 'kirem' | 'meta' | 'qirim' | 'waviro' | 'kirimy';

function text(credentials: ICredentialDataDecryptedObject, name: string): string | undefined {
  const value = credentials[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function required(credentials: ICredentialDataDecryptedObject, name: string, label: string) {
  const value = text(credentials, name);
  if (!value) throw new Error(`The Kabar WhatsApp credential needs "${label}"`);
  return value;
}

export function gatewayOf(credentials: ICredentialDataDecryptedObject): Gateway {
  const gateway = text(credentials, 'gateway') ?? 'kirem';
  if (!['kirem', 'meta', 'qirim', 'waviro', 'kirimy'].includes(gateway)) {
    throw new Error(`Unknown gateway "${gateway}"`);
  }
  return gateway as Gateway;
}

/** The @kabar/core client for the gateway the credential names. */
export function clientFor(credentials: ICredentialDataDecryptedObject): WhatsAppClient {
  const baseUrl = text(credentials, 'baseUrl');
  switch (gatewayOf(credentials)) {
    case 'kirem':
      return createClient({
        provider: kirem({
          apiKey: required(credentials, 'apiKey', 'API Key'),
          baseUrl,
          phoneNumberId: text(credentials, 'phoneNumberId'),
          channelId: text(credentials, 'channelId'),
        }),
      });
    case 'meta':
      return createClient({
        provider: meta({
          accessToken: required(credentials, 'accessToken', 'Access Token'),
          phoneNumberId: required(credentials, 'phoneNumberId', 'Phone Number ID'),
          businessAccountId: text(credentials, 'businessAccountId'),
          baseUrl,
        }),
      });
    case 'qirim':
      return createClient({
        provider: qirim({ apiKey: required(credentials, 'apiKey', 'API Key'), baseUrl }),
      });
    case 'waviro':
      return createClient({
        provider: waviro({
          botUrl: required(credentials, 'botUrl', 'Bot URL'),
          secretKey: required(credentials, 'secretKey', 'Secret Key'),
        }),
      });
    case 'kirimy':
      return createClient({
        provider: kirimy({
          apiKey: required(credentials, 'apiKey', 'API Key'),
          sessionId: required(credentials, 'sessionId', 'Session ID'),
          baseUrl,
        }),
      });
  }
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
 * Proves the credential works with one authenticated call that sends nothing. Qirim and Kirimy
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
    case 'waviro': {
      const { authenticated } = await client.connection.status();
      return authenticated
        ? 'bot logged in'
        : 'key accepted, but the WhatsApp session is logged out';
    }
    case 'kirimy': {
      const probeClient = clientFor({ ...credentials, sessionId: PROBE_SESSION });
      const send = probeClient.send({ to: '6281100000000', text: 'credential test' });
      await refusedWith(send, 'session_inactive');
      return 'key accepted';
    }
  }
}
