import type { ICredentialType, INodeProperties } from 'n8n-workflow';

const on = (...gateway: string[]) => ({ show: { gateway } });

/**
 * One credential for any gateway, with a selector: the nodes' operations are the same whatever
 * the gateway, so a workflow moves from one gateway to another by switching this credential.
 * The nodes test it (`testedBy`) with the same client code they send with.
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
      options: [
        { name: 'Kirem', value: 'kirem', description: 'Meta Cloud API compatible gateway' },
        { name: 'Kirimy', value: 'kirimy', description: 'Text through WhatsApp sessions' },
        {
          name: 'Meta Cloud API',
          value: 'meta',
          description: "Meta's WhatsApp Cloud API directly",
        },
        { name: 'Qirim', value: 'qirim', description: 'Notifications and OTP' },
        { name: 'Waviro', value: 'waviro', description: 'A WhatsApp bot with groups' },
      ],
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      displayOptions: on('kirem', 'qirim', 'kirimy'),
    },
    {
      displayName: 'Access Token',
      name: 'accessToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'A system-user access token with whatsapp_business_messaging',
      displayOptions: on('meta'),
    },
    {
      displayName: 'Phone Number ID',
      name: 'phoneNumberId',
      type: 'string',
      default: '',
      description:
        'The sending number (Meta: required; Kirem: optional, else the first active channel)',
      displayOptions: on('meta', 'kirem'),
    },
    {
      displayName: 'Business Account ID',
      name: 'businessAccountId',
      type: 'string',
      default: '',
      description: 'WhatsApp Business Account ID, for template management',
      displayOptions: on('meta'),
    },
    {
      displayName: 'Channel ID',
      name: 'channelId',
      type: 'string',
      default: '',
      description: 'The channel whose business profile is read and changed',
      displayOptions: on('kirem'),
    },
    {
      displayName: 'Bot URL',
      name: 'botUrl',
      type: 'string',
      default: '',
      placeholder: 'https://yourbot.waviro.com',
      required: true,
      displayOptions: on('waviro'),
    },
    {
      displayName: 'Secret Key',
      name: 'secretKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      displayOptions: on('waviro'),
    },
    {
      displayName: 'Session ID',
      name: 'sessionId',
      type: 'string',
      default: '',
      required: true,
      description: 'The WhatsApp session that sends',
      displayOptions: on('kirimy'),
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: '',
      description:
        "Leave empty for the gateway's own address; set it for a proxy or the Kabar sandbox",
      displayOptions: on('kirem', 'meta', 'qirim', 'kirimy'),
    },
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description:
        "For the trigger: Kirem's webhook secret, the Meta app's App Secret, or the Waviro keyword's webhook key. Incoming webhooks whose signature (Waviro: key) does not match are refused.",
      displayOptions: on('kirem', 'meta', 'waviro'),
    },
    {
      displayName: 'Verify Token',
      name: 'verifyToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: "For the trigger: the token you type into Meta's webhook setup",
      displayOptions: on('meta'),
    },
  ];
}
