/**
 * Fonnte's answers and webhook bodies as the research note (gateways-fonnte-wablas.md, Part A)
 * records them, with its placeholders for numbers and tokens. Each says where it comes from.
 */

/** A made-up device token of Fonnte's length (about 20 characters). */
export const TOKEN = 'Fq7ZtR2mKx9VbN4pLw8S';

/** The device's own number in every answer below. */
export const DEVICE = '6281234567890';

/**
 * `/send`, one target, integer ids (from about late 2025). Logged answer in a public client
 * repository (note A5).
 */
export const sendIntegerIds = {
  detail: 'success! message in queue',
  id: [142223099],
  process: 'pending',
  quota: {
    '6281234567890': { details: 'deduced from total quota', quota: 967, remaining: 966, used: 1 },
  },
  requestid: 369052479,
  status: true,
  target: ['6281234567891'],
};

/**
 * `/send`, string ids, `process: "processing"` and no `quota` block: the older shape of answers
 * logged 2022–2025 in public client repositories (note A5, ambiguity 2).
 */
export const sendStringIds = {
  detail: 'success! message in queue',
  id: ['86226241'],
  process: 'processing',
  status: true,
  target: ['6281234567891'],
};

/**
 * `/send` to two targets: the logged shape above with one id per target, in target order, as the
 * note describes bulk answers (A3, A5). Not itself a capture.
 */
export const sendTwoTargets = {
  detail: 'success! message in queue',
  id: [142223100, 142223101],
  process: 'pending',
  requestid: 369052480,
  status: true,
  target: ['6281234567891', '6281234567892'],
};

/** A bad token on `/send`. Logged answer in a public client repository (note A2, A5). */
export const invalidToken = { reason: 'invalid token', status: false };

/** `/validate` with a bad target. Fonnte's docs, https://docs.fonnte.com/api-nomor-validasi/ (A8). */
export const targetInvalid = { reason: 'target invalid', status: false };

/** A `/send` refusal seen in public client code and tests, not on a docs page (note A5). */
export const deviceDisconnected = { reason: 'device disconnected', status: false };

/** Device profile. Fonnte's docs, https://docs.fonnte.com/language/en/page/3 (note A7). */
export const deviceConnected = {
  device: DEVICE,
  device_status: 'connect',
  expired: '18 November 2029',
  messages: 16785,
  name: 'Fonnte admin',
  package: 'Reguler',
  quota: '78',
  status: true,
};

/** The same documented profile for a device that is logged out (`device_status` per A7). */
export const deviceLoggedOut = { ...deviceConnected, device_status: 'disconnect' };

/**
 * `/qr`: the base64 of a PNG without a prefix. Fonnte's docs, https://docs.fonnte.com/api-get-qr/
 * (A7); the PNG bytes are cut short here, as in the note.
 */
export const qr = { status: true, url: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB' };

/** `/qr` for a device that is already logged in. Seen in public client code (note A7). */
export const qrAlreadyConnected = { reason: 'device already connect', status: false };

/** `/validate`. Fonnte's docs, https://docs.fonnte.com/api-nomor-validasi/ (note A8). */
export const validate = {
  not_registered: ['6281234567899'],
  registered: ['6281234567891'],
  status: true,
};

/**
 * `/get-whatsapp-group`. Fonnte's docs, https://docs.fonnte.com/api-get-whatsapp-group-list/
 * (note A9).
 */
export const groups = {
  data: [
    { id: 'xxx@g.us', name: 'Group name 1' },
    { id: 'xxx-xxx@g.us', name: 'Group name 2' },
  ],
  status: true,
};

/**
 * `/get-whatsapp-group` for a device in no group: an error under `detail`. Fonnte's docs, same page
 * (note A9, A12).
 */
export const noGroups = { detail: 'you have no whatsapp group yet', status: false };

/**
 * An incoming group message. Logged webhook body in a public repository (note A13), numbers
 * replaced.
 */
export const incomingGroupMessage = {
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
};

/**
 * The first message-status callback: `device`, `id`, `stateid`, `status`, `state`. Fonnte's docs
 * list these fields without a JSON sample (https://docs.fonnte.com/webhook-update-message-status/,
 * note A13); the values are ours.
 */
export const statusSent = {
  device: DEVICE,
  id: 142223099,
  stateid: '3EB0A1B2C3D4E5F6A7B8',
  status: 'sent',
  state: '',
};

/** A later callback for the same message: only `stateid` and `state` (note A13). */
export const statusRead = { device: DEVICE, stateid: '3EB0A1B2C3D4E5F6A7B8', state: 'read' };

/**
 * The device-connection callback: `device`, `status`, `timestamp`, `reason`, and the device
 * `token`. Fonnte's docs list the fields (https://docs.fonnte.com/webhook-device-status/,
 * note A13); the values are ours.
 */
export const disconnected = {
  device: DEVICE,
  status: 'disconnect',
  reason: 'logout from phone',
  timestamp: 1767229000,
  token: TOKEN,
};
