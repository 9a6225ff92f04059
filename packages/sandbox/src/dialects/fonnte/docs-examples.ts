/**
 * Fonnte's own example requests and answers, as the research note (gateways-fonnte-wablas.md,
 * Part A) reproduces them from Fonnte's documentation pages, public logs and client code. Each
 * cites its page. Where the note gives a request's field names but not its values, the values are
 * ours and the comment says so; everything the note does give is copied exactly.
 */

/** A documented request: the method and path, the fields, and how the page sends them. */
export interface FonnteDocsRequest {
  readonly method: 'GET' | 'POST';
  /** As the page writes it (the GET form has a trailing slash). */
  readonly path: string;
  /**
   * 'multipart': the PHP samples' `CURLOPT_POSTFIELDS` array; 'json': the Node.js tutorial;
   * 'query': the send-by-URL form, token included; 'none': the endpoint takes no fields.
   */
  readonly encoding: 'multipart' | 'json' | 'query' | 'none';
  /** The field values with the types the sample gives them (PHP's ints and booleans included). */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /** The local file the sample uploads as `file` (PHP's `new CURLFile(...)`). */
  readonly file?: string;
}

/** Where the device token goes in the docs' samples: `Authorization: TOKEN` (or `token=TOKEN`). */
export const DOCS_TOKEN_PLACEHOLDER = 'TOKEN';

/**
 * The current PHP sample of `POST /send`, every field at once (note A3).
 * https://docs.fonnte.com/api-send-message/
 */
export const sendPhpSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/send',
  encoding: 'multipart',
  fields: {
    target: '08123456789|Fonnte|Admin,08123456789|Lili|User',
    message: 'test message to {name} as {var1}',
    url: 'https://md.fonnte.com/images/wa-logo.png',
    filename: 'filename',
    schedule: 0,
    typing: false,
    delay: '2',
    countryCode: '62',
    location: '-7.983908, 112.621391',
    followup: 0,
    inboxid: 0,
    duration: 1,
  },
  file: 'localfile.jpg',
};

/**
 * `GET /send/` with the token in the query (note A4); the page's parameter values are not in the
 * note, so `target` and `message` are ours, in the PHP sample's style.
 * https://docs.fonnte.com/api-send-message-by-url-get/
 */
export const sendByUrl: FonnteDocsRequest = {
  method: 'GET',
  path: '/send/',
  encoding: 'query',
  fields: { token: DOCS_TOKEN_PLACEHOLDER, target: '08123456789', message: 'test message' },
};

/**
 * The Node.js webhook tutorial posts JSON to `/send` (note A1); the reply's values are ours.
 * https://docs.fonnte.com/webhook-reply-message-with-nodejs/
 */
export const sendJsonReply: FonnteDocsRequest = {
  method: 'POST',
  path: '/send',
  encoding: 'json',
  fields: { target: '6281234567891', message: 'halo, pesan diterima' },
};

/**
 * `POST /validate` with `target` (a comma list) and `countryCode` (note A8); the values are ours.
 * https://docs.fonnte.com/api-nomor-validasi/
 */
export const validateSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/validate',
  encoding: 'multipart',
  fields: { target: '08123456789,08123456788', countryCode: '62' },
};

/**
 * `POST /device` takes no fields (note A7).
 * https://docs.fonnte.com/language/en/page/3
 */
export const deviceSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/device',
  encoding: 'none',
  fields: {},
};

/**
 * `POST /qr` with `type=qr` and the device's number as `whatsapp` (note A7); the number is ours.
 * https://docs.fonnte.com/api-get-qr/
 */
export const qrSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/qr',
  encoding: 'multipart',
  fields: { type: 'qr', whatsapp: '6285100001234' },
};

/**
 * `POST /disconnect` takes no fields (note A7).
 * https://docs.fonnte.com/api-disconnect-device/
 */
export const disconnectSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/disconnect',
  encoding: 'none',
  fields: {},
};

/**
 * `POST /fetch-group` takes no fields (note A9).
 * https://docs.fonnte.com/api-update-whatsapp-group-list/
 */
export const fetchGroupSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/fetch-group',
  encoding: 'none',
  fields: {},
};

/**
 * `POST /get-whatsapp-group` takes no fields (note A9).
 * https://docs.fonnte.com/api-get-whatsapp-group-list/
 */
export const getWhatsappGroupSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/get-whatsapp-group',
  encoding: 'none',
  fields: {},
};

/**
 * `POST /status` with a message `id` (note A6); 2 is the id the page's answer shows.
 * https://docs.fonnte.com/api-check-message-status/
 */
export const statusSample: FonnteDocsRequest = {
  method: 'POST',
  path: '/status',
  encoding: 'multipart',
  fields: { id: 2 },
};

/**
 * The answers the pages show, or public logs where the pages show none, with the note's
 * placeholders for numbers. Tests compare the sandbox's answers with these key for key.
 */
export const documentedAnswers = {
  /** A logged `/send` success, 2025–2026 (note A5; no docs page shows one). */
  send: {
    detail: 'success! message in queue',
    id: [142223099],
    process: 'pending',
    quota: {
      '6281234567890': { details: 'deduced from total quota', quota: 967, remaining: 966, used: 1 },
    },
    requestid: 369052479,
    status: true,
    target: ['6281234567891'],
  },
  /** A logged bad-token answer on `/send` (notes A2, A5). */
  invalidToken: { reason: 'invalid token', status: false },
  /** https://docs.fonnte.com/language/en/page/3 (note A7). */
  device: {
    device: '6281234567890',
    device_status: 'connect',
    expired: '18 November 2029',
    messages: 16785,
    name: 'Fonnte admin',
    package: 'Reguler',
    quota: '78',
    status: true,
  },
  /** Same page: a bad token on `/device`. */
  deviceTokenInvalid: { reason: 'token invalid', status: false },
  /** https://docs.fonnte.com/api-get-qr/ (note A7; the PNG's base64 is cut short there). */
  qr: { status: true, url: 'iVBORw0KGgo' },
  /** Seen in public client code for a device that is logged in (note A7). */
  qrAlreadyConnected: { reason: 'device already connect', status: false },
  /** https://docs.fonnte.com/api-disconnect-device/ (note A7). */
  disconnect: { detail: 'device disconnected', status: true },
  /** Same page. */
  disconnectAlready: { detail: 'device already disconnected', status: false },
  /** Same page. */
  disconnectTokenInvalid: { detail: 'token invalid', status: false },
  /** https://docs.fonnte.com/api-nomor-validasi/ (note A8; the arrays hold normalised numbers). */
  validate: { not_registered: ['6281234567899'], registered: ['6281234567891'], status: true },
  /** Same page. */
  validateTargetRequired: { reason: 'target required', status: false },
  /** Same page. */
  validateTargetInvalid: { reason: 'target invalid', status: false },
  /** https://docs.fonnte.com/api-update-whatsapp-group-list/ (note A9). */
  fetchGroup: { detail: 'update whatsapp group list finished', status: true },
  /** Same page. */
  fetchGroupDisconnected: { detail: 'cannot fetch with disconnected device', status: false },
  /** https://docs.fonnte.com/api-get-whatsapp-group-list/ (note A9). */
  groups: {
    data: [
      { id: 'xxx@g.us', name: 'Group name 1' },
      { id: 'xxx-xxx@g.us', name: 'Group name 2' },
    ],
    status: true,
  },
  /** Same page. */
  noGroups: { detail: 'you have no whatsapp group yet', status: false },
  /** https://docs.fonnte.com/api-check-message-status/ (note A6). */
  status: { id: 2, message_status: 'sent', status: true },
  /** Same page. */
  statusIdRequired: { reason: 'id required', status: false },
} as const;

/**
 * The webhooks Fonnte posts (note A13). The incoming message is a logged body (numbers replaced);
 * the status and connection callbacks are the docs' field lists, with values of ours.
 */
export const documentedWebhooks = {
  /**
   * A logged incoming group message; https://docs.fonnte.com/webhook-reply-message/ lists the
   * fields, and the 12 January 2026 update added `timestamp`.
   */
  incoming: {
    quick: false,
    device: '6281234567890',
    pesan: 'halo',
    pengirim: '120363000000000000@g.us',
    member: '6281234567891',
    message: 'halo',
    text: 'non-button message',
    sender: '120363000000000000@g.us',
    name: 'Budi',
    location: '',
    url: '',
    type: 'text',
    extension: '',
    filename: '',
    pollname: '',
    choices: [],
    inboxid: 0,
    isgroup: true,
    isforwarded: false,
  },
  /** https://docs.fonnte.com/webhook-update-message-status/: the first callback's fields. */
  status: ['device', 'id', 'stateid', 'status', 'state'],
  /** https://docs.fonnte.com/webhook-device-status/: the connection callback's fields. */
  connection: ['device', 'status', 'reason', 'timestamp', 'token'],
} as const;
