import { type CredentialField, GATEWAYS } from '@kabar/core/gateways';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

const on = (gateway: readonly string[]) => ({ show: { gateway: [...gateway] } });

/**
 * One field per setting key across the registry's gateways: a key several gateways share (`apiKey`,
 * `baseUrl`) is one field shown for all of them, so a saved credential keeps its values when the
 * gateway selector changes.
 */
function settingFields(): INodeProperties[] {
  const byKey = new Map<string, { fields: CredentialField[]; gateways: string[] }>();
  for (const gateway of GATEWAYS) {
    for (const field of gateway.credentials) {
      const entry = byKey.get(field.key) ?? { fields: [], gateways: [] };
      entry.fields.push(field);
      entry.gateways.push(gateway.label);
      byKey.set(field.key, entry);
    }
  }
  return [...byKey].map(([key, { fields, gateways }]) => {
    const [first] = fields as [CredentialField];
    const descriptions = [...new Set(fields.map((field) => field.description).filter(Boolean))];
    const property: INodeProperties = {
      displayName: first.label,
      name: key,
      type: 'string',
      default: '',
      // Required only where every gateway showing it needs it; the client says which one misses it.
      required: fields.every((field) => field.required),
      displayOptions: on(gatewayNames(key)),
    };
    if (first.secret) property.typeOptions = { password: true };
    if (first.placeholder) property.placeholder = first.placeholder;
    if (descriptions.length === 1) property.description = descriptions[0];
    if (descriptions.length > 1) {
      property.description = fields
        .map((field, i) => (field.description ? `${gateways[i]}: ${field.description}` : ''))
        .filter(Boolean)
        .join('. ');
    }
    return property;
  });
}

function gatewayNames(key: string): string[] {
  return GATEWAYS.filter((gateway) => gateway.credentials.some((field) => field.key === key)).map(
    (gateway) => gateway.name,
  );
}

const withWebhooks = GATEWAYS.filter((gateway) => gateway.webhook !== undefined);

/**
 * One credential for any gateway, with a selector: the nodes' operations are the same whatever
 * the gateway, so a workflow moves from one gateway to another by switching this credential.
 * The gateways, their fields and which are secret come from @kabar/core's gateway registry. The
 * nodes test it (`testedBy`) with the same client code they send with.
 */
export class KabarWhatsAppApi implements ICredentialType {
  name = 'kabarWhatsAppApi';

  displayName = 'Kabar WhatsApp API';

  icon = { light: 'file:kabar.svg', dark: 'file:kabar.dark.svg' } as const;

  documentationUrl =
    'https://github.com/kabar-id/kabar/tree/main/packages/n8n-nodes-kabar#credentials';

  properties: INodeProperties[] = [
    {
      displayName: 'Gateway',
      name: 'gateway',
      type: 'options',
      default: 'kirem',
      options: [...GATEWAYS]
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((gateway) => ({
          name: gateway.label,
          value: gateway.name,
          description: gateway.description,
        })),
    },
    ...settingFields(),
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description:
        "For the trigger: the secret the gateway proves its webhooks with (Kirem's webhook secret, the Meta app's App Secret, a Waviro keyword's webhook key), or, for a gateway that signs nothing, a secret you choose and add to the webhook URL as ?secret=. Incoming webhooks that do not prove it are refused.",
      displayOptions: on(withWebhooks.map((gateway) => gateway.name)),
    },
    {
      displayName: 'Verify Token',
      name: 'verifyToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: "For the trigger: the token you type into Meta's webhook setup",
      displayOptions: on(
        withWebhooks.filter((gateway) => gateway.webhook?.handshake).map((gateway) => gateway.name),
      ),
    },
  ];
}
