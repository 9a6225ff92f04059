import { type DisplayCondition, type INodeProperties, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import { carousel, ctaUrl, flow } from './interactive-properties';
import { sendAndWaitProperties } from './send-and-wait';
import { senderOption } from './sender';

const when = (resource: string, operation: string[]) => ({
  show: { resource: [resource], operation },
});

const resource: INodeProperties = {
  displayName: 'Resource',
  name: 'resource',
  type: 'options',
  noDataExpression: true,
  default: 'message',
  options: [
    { name: 'Group', value: 'group' },
    { name: 'Log', value: 'log' },
    { name: 'Media', value: 'media' },
    { name: 'Message', value: 'message' },
    { name: 'OTP', value: 'otp' },
    { name: 'Profile', value: 'profile' },
    { name: 'Template', value: 'template' },
  ],
};

const operations: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['message'] } },
    default: 'sendText',
    options: [
      { name: 'Mark as Read', value: 'markAsRead', action: 'Mark a message as read' },
      {
        name: 'Send and Wait for Reply',
        value: SEND_AND_WAIT_OPERATION,
        action: 'Send a question and wait for the answer',
      },
      { name: 'Send Buttons', value: 'sendButtons', action: 'Send reply buttons' },
      { name: 'Send Carousel', value: 'sendCarousel', action: 'Send a carousel of media cards' },
      { name: 'Send Contacts', value: 'sendContacts', action: 'Send contact cards' },
      {
        name: 'Send CTA URL Button',
        value: 'sendCtaUrl',
        action: 'Send a button that opens a URL',
      },
      { name: 'Send Flow', value: 'sendFlow', action: 'Send a button that opens a flow' },
      { name: 'Send List', value: 'sendList', action: 'Send a list message' },
      { name: 'Send Location', value: 'sendLocation', action: 'Send a location' },
      {
        name: 'Send Location Request',
        value: 'sendLocationRequest',
        action: 'Ask for the customer location',
      },
      { name: 'Send Media', value: 'sendMedia', action: 'Send an image video audio or document' },
      { name: 'Send Template', value: 'sendTemplate', action: 'Send a template message' },
      { name: 'Send Text', value: 'sendText', action: 'Send a text message' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['template'] } },
    default: 'list',
    options: [
      { name: 'Create', value: 'create', action: 'Create a template' },
      { name: 'Delete', value: 'delete', action: 'Delete a template' },
      { name: 'List', value: 'list', action: 'List templates' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['media'] } },
    default: 'upload',
    options: [
      { name: 'Download', value: 'download', action: 'Download a media file' },
      { name: 'Upload', value: 'upload', action: 'Upload a media file' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['otp'] } },
    default: 'request',
    options: [
      { name: 'Request', value: 'request', action: 'Send a one time code' },
      { name: 'Verify', value: 'verify', action: 'Verify a one time code' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['profile'] } },
    default: 'get',
    options: [
      { name: 'Get', value: 'get', action: 'Get the business profile' },
      { name: 'Update', value: 'update', action: 'Update the business profile' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['log'] } },
    default: 'messages',
    options: [
      { name: 'Get Message Logs', value: 'messages', action: 'Get message logs' },
      { name: 'Get Webhook Logs', value: 'webhooks', action: 'Get webhook logs' },
    ],
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['group'] } },
    default: 'list',
    options: [
      { name: 'List', value: 'list', action: 'List groups' },
      { name: 'Send Text', value: 'sendText', action: 'Send a text to a group' },
    ],
  },
];

const SENDS = [
  'sendText',
  'sendTemplate',
  'sendMedia',
  'sendButtons',
  'sendList',
  'sendLocation',
  'sendContacts',
  'sendCtaUrl',
  'sendLocationRequest',
  'sendCarousel',
  'sendFlow',
];

/** Shows an option of the shared Options collection only for the given send operations. */
const forOperations = (operation: string[]) => ({ show: { '/operation': operation } });

/** Template fields for a template chosen from the list (`name|language`), or for one typed. */
const listed: { templateName: DisplayCondition[] } = {
  templateName: [{ _cnd: { includes: '|' } }],
};

const message: INodeProperties[] = [
  {
    displayName: 'To',
    name: 'to',
    type: 'string',
    default: '',
    required: true,
    placeholder: '0812-3456-7890',
    description:
      'The phone number in any common form, like 0812-3456-7890, +62 812 3456 7890 or 6281234567890',
    displayOptions: when('message', [...SENDS, SEND_AND_WAIT_OPERATION]),
  },
  {
    displayName: 'Text',
    name: 'text',
    type: 'string',
    typeOptions: { rows: 3 },
    default: '',
    required: true,
    displayOptions: when('message', ['sendText']),
  },
  {
    displayName: 'Template Name or ID',
    name: 'templateName',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getTemplates' },
    default: '',
    required: true,
    description:
      'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
    hint: 'The list holds the approved templates with their language. An expression gives name|language, or a name alone with Language below.',
    displayOptions: when('message', ['sendTemplate']),
  },
  {
    displayName: 'Language',
    name: 'language',
    type: 'string',
    default: 'id',
    required: true,
    description: 'The template language code, e.g. ID or en_US',
    displayOptions: { ...when('message', ['sendTemplate']), hide: listed },
  },
  {
    displayName: 'Template Parameters',
    name: 'templateParameters',
    type: 'resourceMapper',
    noDataExpression: true,
    default: { mappingMode: 'defineBelow', value: null },
    description: "Values for the chosen template's header and body placeholders",
    typeOptions: {
      loadOptionsDependsOn: ['templateName'],
      resourceMapper: {
        resourceMapperMethod: 'getTemplateParameters',
        mode: 'add',
        fieldWords: { singular: 'parameter', plural: 'parameters' },
        addAllFields: true,
        multiKeyMatch: false,
        supportAutoMap: false,
      },
    },
    displayOptions: { show: { resource: ['message'], operation: ['sendTemplate'], ...listed } },
  },
  {
    displayName: 'Parameter Format',
    name: 'parameterFormat',
    type: 'options',
    default: 'positional',
    description: 'How the template body names its placeholders',
    options: [
      {
        name: 'Positional',
        value: 'positional',
        description: 'Numbered placeholders such as {{1}} and {{2}}, filled in order',
      },
      {
        name: 'Named',
        value: 'named',
        description: 'Named placeholders such as {{first_name}}, filled by name',
      },
    ],
    displayOptions: { ...when('message', ['sendTemplate']), hide: listed },
  },
  {
    displayName: 'Body Parameters',
    name: 'bodyParameters',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    description: 'Values for the numbered placeholders of the template body, in order',
    displayOptions: {
      show: { resource: ['message'], operation: ['sendTemplate'], parameterFormat: ['positional'] },
      hide: listed,
    },
    options: [
      {
        name: 'parameter',
        displayName: 'Parameter',
        values: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
      },
    ],
  },
  {
    displayName: 'Body Parameters',
    name: 'namedBodyParameters',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    description: 'Values for the named placeholders of the template body',
    displayOptions: {
      show: { resource: ['message'], operation: ['sendTemplate'], parameterFormat: ['named'] },
      hide: listed,
    },
    options: [
      {
        name: 'parameter',
        displayName: 'Parameter',
        values: [
          {
            displayName: 'Name',
            name: 'name',
            type: 'string',
            default: '',
            placeholder: 'first_name',
            description:
              'The placeholder without braces: lowercase letters, digits and underscores',
          },
          { displayName: 'Value', name: 'value', type: 'string', default: '' },
        ],
      },
    ],
  },
  {
    displayName: 'Button Parameters',
    name: 'buttonParameters',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    description:
      'Send-time values of the template buttons; phone and static URL buttons need none and are left out',
    displayOptions: when('message', ['sendTemplate']),
    options: [
      {
        name: 'button',
        displayName: 'Button',
        values: [
          {
            displayName: 'Type',
            name: 'subType',
            type: 'options',
            default: 'quick_reply',
            options: [
              {
                name: 'Coupon Code',
                value: 'copy_code',
                description: 'The code a copy-code button of a marketing template copies',
              },
              {
                name: 'OTP Code',
                value: 'otp',
                description:
                  'The one-time password of an authentication template (copy-code or one-tap button)',
              },
              {
                name: 'Quick Reply Payload',
                value: 'quick_reply',
                description: 'What the trigger receives when the customer taps the button',
              },
              {
                name: 'URL Variable',
                value: 'url',
                description: 'The variable end of a dynamic URL button',
              },
            ],
          },
          {
            displayName: 'Index',
            name: 'index',
            type: 'number',
            typeOptions: { minValue: 0, maxValue: 9 },
            default: 0,
            description: "The button's position among the template's buttons, starting at 0",
          },
          { displayName: 'Value', name: 'value', type: 'string', default: '' },
        ],
      },
    ],
  },
  {
    displayName: 'Components (JSON)',
    name: 'componentsJson',
    type: 'json',
    default: '',
    description:
      'Header, body and button components as in Kabar\'s model, e.g. [{"type":"header","parameters":[{"type":"image","image":{"link":"https://..."}}]}]; used instead of Template Parameters and Body Parameters when set (Button Parameters are added to it)',
    displayOptions: when('message', ['sendTemplate']),
  },
  {
    displayName: 'Media Type',
    name: 'mediaType',
    type: 'options',
    default: 'image',
    options: [
      { name: 'Audio', value: 'audio' },
      { name: 'Document', value: 'document' },
      { name: 'Image', value: 'image' },
      { name: 'Sticker', value: 'sticker' },
      { name: 'Video', value: 'video' },
    ],
    displayOptions: when('message', ['sendMedia']),
  },
  {
    displayName: 'Media Source',
    name: 'mediaSource',
    type: 'options',
    default: 'link',
    options: [
      { name: 'Link', value: 'link', description: 'A public HTTPS URL' },
      { name: 'Media ID', value: 'id', description: 'An ID from a previous upload' },
      { name: 'Binary Data', value: 'binary', description: 'A file from an earlier node' },
    ],
    displayOptions: when('message', ['sendMedia']),
  },
  {
    displayName: 'Link',
    name: 'mediaLink',
    type: 'string',
    default: '',
    required: true,
    displayOptions: {
      show: { resource: ['message'], operation: ['sendMedia'], mediaSource: ['link'] },
    },
  },
  {
    displayName: 'Media ID',
    name: 'mediaId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: {
      show: { resource: ['message'], operation: ['sendMedia'], mediaSource: ['id'] },
    },
  },
  {
    displayName: 'Input Binary Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    displayOptions: {
      show: { resource: ['message'], operation: ['sendMedia'], mediaSource: ['binary'] },
    },
  },
  {
    displayName: 'Caption',
    name: 'caption',
    type: 'string',
    default: '',
    displayOptions: {
      show: {
        resource: ['message'],
        operation: ['sendMedia'],
        mediaType: ['image', 'video', 'document'],
      },
    },
  },
  {
    displayName: 'Body',
    name: 'body',
    type: 'string',
    typeOptions: { rows: 3 },
    default: '',
    required: true,
    description: 'The message text, at most 1024 characters',
    displayOptions: when('message', [
      'sendButtons',
      'sendList',
      'sendCtaUrl',
      'sendLocationRequest',
      'sendCarousel',
      'sendFlow',
    ]),
  },
  {
    displayName: 'Buttons',
    name: 'buttons',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    description: 'Up to three reply buttons; the ID comes back in the trigger when tapped',
    displayOptions: when('message', ['sendButtons']),
    options: [
      {
        name: 'button',
        displayName: 'Button',
        values: [
          { displayName: 'ID', name: 'id', type: 'string', default: '' },
          { displayName: 'Title', name: 'title', type: 'string', default: '' },
        ],
      },
    ],
  },
  {
    displayName: 'Button Text',
    name: 'buttonText',
    type: 'string',
    default: 'Pilih',
    required: true,
    description: 'The label of the button that opens the list',
    displayOptions: when('message', ['sendList']),
  },
  {
    displayName: 'Rows',
    name: 'rows',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    default: {},
    displayOptions: when('message', ['sendList']),
    options: [
      {
        name: 'row',
        displayName: 'Row',
        values: [
          { displayName: 'ID', name: 'id', type: 'string', default: '' },
          { displayName: 'Title', name: 'title', type: 'string', default: '' },
          { displayName: 'Description', name: 'description', type: 'string', default: '' },
          {
            displayName: 'Section',
            name: 'section',
            type: 'string',
            default: '',
            description:
              'The title of the section the row is listed under; rows with the same title form one section. Every row needs one when there are several sections.',
          },
        ],
      },
    ],
  },
  ...ctaUrl,
  ...carousel,
  ...flow,
  {
    displayName: 'Latitude',
    name: 'latitude',
    type: 'number',
    typeOptions: { numberPrecision: 6 },
    default: 0,
    required: true,
    displayOptions: when('message', ['sendLocation']),
  },
  {
    displayName: 'Longitude',
    name: 'longitude',
    type: 'number',
    typeOptions: { numberPrecision: 6 },
    default: 0,
    required: true,
    displayOptions: when('message', ['sendLocation']),
  },
  {
    displayName: 'Contacts',
    name: 'contacts',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true, sortable: true },
    placeholder: 'Add Contact',
    default: {},
    description: 'The contact cards to send',
    displayOptions: when('message', ['sendContacts']),
    options: [
      {
        name: 'contact',
        displayName: 'Contact',
        values: [
          { displayName: 'Company', name: 'company', type: 'string', default: '' },
          {
            displayName: 'Emails',
            name: 'emails',
            type: 'string',
            default: '',
            placeholder: 'cs@toko.example, budi@toko.example',
            description: 'Comma-separated',
          },
          {
            displayName: 'Name',
            name: 'name',
            type: 'string',
            default: '',
            placeholder: 'Budi Santoso',
            description: 'The name the card shows (required)',
          },
          {
            displayName: 'Phones',
            name: 'phones',
            type: 'string',
            default: '',
            placeholder: '+62 812 3456 7890, +62 21 555 0100',
            description: 'Comma-separated',
          },
        ],
      },
    ],
  },
  {
    displayName: 'Contacts (JSON)',
    name: 'contactsJson',
    type: 'json',
    default: '',
    description:
      'Every vCard field as JSON, e.g. [{"name":{"formattedName":"Budi Santoso"},"phones":[{"phone":"+62 812 3456 7890","type":"WORK"}],"addresses":[{"city":"Jakarta"}]}]; used instead of Contacts when set',
    displayOptions: when('message', ['sendContacts']),
  },
  {
    displayName: 'Message ID',
    name: 'messageId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the incoming message (the trigger outputs it as ID)',
    displayOptions: when('message', ['markAsRead']),
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: when('message', SENDS),
    options: [
      {
        displayName: 'Filename',
        name: 'filename',
        type: 'string',
        default: '',
        description: 'Documents only',
        displayOptions: forOperations(['sendMedia']),
      },
      {
        displayName: 'Footer',
        name: 'footer',
        type: 'string',
        default: '',
        description: 'Small text below the body, at most 60 characters',
        displayOptions: forOperations(['sendButtons', 'sendList', 'sendCtaUrl', 'sendFlow']),
      },
      {
        displayName: 'Header',
        name: 'header',
        type: 'string',
        default: '',
        description: 'Text above the body, at most 60 characters',
        displayOptions: forOperations(['sendButtons', 'sendList', 'sendFlow']),
      },
      {
        displayName: 'Location Address',
        name: 'locationAddress',
        type: 'string',
        default: '',
        displayOptions: forOperations(['sendLocation']),
      },
      {
        displayName: 'Location Name',
        name: 'locationName',
        type: 'string',
        default: '',
        displayOptions: forOperations(['sendLocation']),
      },
      {
        displayName: 'Message Category',
        name: 'category',
        type: 'options',
        default: 'utility',
        description:
          'What the message is for. Kabar refuses Marketing to contacts who opted out (error code opted_out).',
        options: [
          {
            name: 'Authentication',
            value: 'authentication',
            description: 'One-time codes',
          },
          {
            name: 'Marketing',
            value: 'marketing',
            description: 'Promotions and offers: never to contacts who opted out',
          },
          {
            name: 'Utility',
            value: 'utility',
            description: 'Order updates, reminders and other messages the customer expects',
          },
        ],
      },
      {
        displayName: 'Preview URL',
        name: 'previewUrl',
        type: 'boolean',
        default: false,
        description: 'Whether to show a preview of the first link (text only)',
        displayOptions: forOperations(['sendText']),
      },
      {
        displayName: 'Reply To',
        name: 'replyTo',
        type: 'string',
        default: '',
        description: 'The ID of the message this one quotes',
      },
      senderOption,
    ],
  },
  ...sendAndWaitProperties,
];

const template: INodeProperties[] = [
  {
    displayName: 'Name',
    name: 'templateName',
    type: 'string',
    default: '',
    required: true,
    displayOptions: when('template', ['create', 'delete']),
  },
  {
    displayName: 'Language',
    name: 'language',
    type: 'string',
    default: 'id',
    required: true,
    displayOptions: when('template', ['create']),
  },
  {
    displayName: 'Category',
    name: 'category',
    type: 'options',
    default: 'UTILITY',
    options: [
      { name: 'Authentication', value: 'AUTHENTICATION' },
      { name: 'Marketing', value: 'MARKETING' },
      { name: 'Utility', value: 'UTILITY' },
    ],
    displayOptions: when('template', ['create']),
  },
  {
    displayName: 'Components (JSON)',
    name: 'componentsJson',
    type: 'json',
    default: '[{"type":"BODY","text":"Halo {{1}}, pesanan Anda sudah dikirim."}]',
    required: true,
    displayOptions: when('template', ['create']),
  },
  {
    displayName: 'Filters',
    name: 'filters',
    type: 'collection',
    placeholder: 'Add Filter',
    default: {},
    displayOptions: when('template', ['list']),
    options: [
      {
        displayName: 'Status',
        name: 'status',
        type: 'options',
        default: 'APPROVED',
        options: [
          { name: 'Approved', value: 'APPROVED' },
          { name: 'Paused', value: 'PAUSED' },
          { name: 'Pending', value: 'PENDING' },
          { name: 'Rejected', value: 'REJECTED' },
        ],
      },
    ],
  },
];

const media: INodeProperties[] = [
  {
    displayName: 'Input Binary Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    displayOptions: when('media', ['upload']),
  },
  {
    displayName: 'Media ID',
    name: 'mediaId',
    type: 'string',
    default: '',
    required: true,
    displayOptions: when('media', ['download']),
  },
  {
    displayName: 'Put Output File in Field',
    name: 'binaryPropertyName',
    type: 'string',
    default: 'data',
    required: true,
    displayOptions: when('media', ['download']),
  },
];

const otp: INodeProperties[] = [
  {
    displayName: 'Phone',
    name: 'phone',
    type: 'string',
    default: '',
    required: true,
    displayOptions: { show: { resource: ['otp'] } },
  },
  {
    displayName: 'Code',
    name: 'code',
    type: 'string',
    default: '',
    required: true,
    displayOptions: when('otp', ['verify']),
  },
];

const profile: INodeProperties[] = [
  {
    displayName: 'Update Fields',
    name: 'updateFields',
    type: 'collection',
    placeholder: 'Add Field',
    default: {},
    displayOptions: when('profile', ['update']),
    options: [
      { displayName: 'About', name: 'about', type: 'string', default: '' },
      { displayName: 'Address', name: 'address', type: 'string', default: '' },
      { displayName: 'Description', name: 'description', type: 'string', default: '' },
      {
        displayName: 'Email',
        name: 'email',
        type: 'string',
        placeholder: 'name@email.com',
        default: '',
      },
      {
        displayName: 'Websites',
        name: 'websites',
        type: 'string',
        default: '',
        description: 'Comma-separated, at most two',
      },
    ],
  },
];

const log: INodeProperties[] = [
  {
    displayName: 'Return All',
    name: 'returnAll',
    type: 'boolean',
    default: false,
    description: 'Whether to return all results or only up to a given limit',
    displayOptions: { show: { resource: ['log'] } },
  },
  {
    displayName: 'Limit',
    name: 'limit',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 50,
    description: 'Max number of results to return',
    displayOptions: { show: { resource: ['log'], returnAll: [false] } },
  },
];

const group: INodeProperties[] = [
  {
    displayName: 'Group Name or ID',
    name: 'groupId',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getGroups' },
    default: '',
    required: true,
    description:
      'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
    displayOptions: when('group', ['sendText']),
  },
  {
    displayName: 'Text',
    name: 'text',
    type: 'string',
    typeOptions: { rows: 3 },
    default: '',
    required: true,
    displayOptions: when('group', ['sendText']),
  },
];

export const properties: INodeProperties[] = [
  resource,
  ...operations,
  ...message,
  ...template,
  ...media,
  ...otp,
  ...profile,
  ...log,
  ...group,
];
