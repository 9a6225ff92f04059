import type { WebhookProvider } from '@kabar/core/webhooks';
import type { INodeProperties } from 'n8n-workflow';

/**
 * Where each gateway takes the trigger's URL and which secret proves its requests, as the gateway
 * documents it (Kirem's and Waviro's API pages, Meta's Cloud API webhook guide, Fonnte's and
 * Wablas's webhook pages). A Record, so a gateway added to core's webhook list fails to compile
 * here until it has its instructions.
 */
const HOW_TO_REGISTER: Record<WebhookProvider, string> = {
  kirem:
    "Kirem: in your Kirem project's webhook settings, add this node's Production URL as a webhook target, and copy the project's Webhook Secret Key into the credential's Webhook Secret. Kirem signs every delivery with an X-Kirem-Signature header (HMAC-SHA256 of the body); a request without a valid signature gets 401 and starts no run.",
  meta: "Meta Cloud API: activate this workflow first. Then, in the Meta App Dashboard under WhatsApp → Configuration, set Callback URL to this node's Production URL (public https) and Verify Token to the credential's Verify Token (a string you choose), click Verify and Save, and subscribe to the messages webhook field. Copy the app's App Secret (App settings → Basic) into the credential's Webhook Secret: Meta signs every POST with X-Hub-Signature-256, and one app has one callback URL.",
  waviro:
    "Waviro: in Waviro's Webhook Settings, add a keyword (such as penawaran#) with this node's Production URL, and copy its Webhook Key into the credential's Webhook Secret; every keyword call carries it as webhookkey. Waviro sends the customer what the call is answered with (see Answer Keyword Calls). For delivery acks, send messages with this URL as notifyurl; acks carry no key, so keep the URL private.",
  fonnte:
    "Fonnte: in the device's settings on the Fonnte dashboard, set the webhook URLs (incoming messages, message status, device connection) to this node's Production URL with ?secret= and the credential's Webhook Secret added. If you also turn on Fonnte's own webhook secret, give it the same value: a secret field in the body is checked too.",
  wablas:
    "Wablas: in the device's settings on the Wablas dashboard, turn on Get Incoming Message and set the incoming, tracking and device webhook URLs to this node's Production URL with ?secret= and the credential's Webhook Secret added. Wablas signs nothing, so that secret is the only proof a request came from your device. Leave Get Auto Reply From Webhook off: the trigger answers with no reply.",
};

/**
 * Shown while the Gateway is From Credential: what every gateway needs, and why choosing one
 * helps. Short, since it stands for all of them.
 */
const FROM_CREDENTIAL =
  "Add this node's Production URL to the webhook settings of the gateway the credential is for, and put the secret that gateway proves its requests with in the credential's Webhook Secret (Waviro: the keyword's webhook key; Meta: also a Verify Token of your own). Choose the gateway above for its exact steps and to have the credential checked against it.";

/** One notice per Gateway setting: the general one for From Credential, else the gateway's own. */
export const setupNotices: INodeProperties[] = [
  ['credential', FROM_CREDENTIAL] as const,
  ...Object.entries(HOW_TO_REGISTER),
].map(([gateway, text]) => ({
  displayName: text,
  name: `${gateway}Setup`,
  type: 'notice',
  default: '',
  displayOptions: { show: { gateway: [gateway] } },
}));
