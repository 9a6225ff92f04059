/**
 * Wablas' own example requests and answers, as its documentation shows them, for the contract
 * tests. "bdg docs" is the Markdown copy of https://bdg.wablas.com/documentation/api that the
 * research note shared/research/gateways-fonnte-wablas.md describes in B14; section names
 * are the docs' headings, B-numbers the note's sections. The docs write their examples in PHP:
 * `http_build_query($data)` bodies are form fields, `json_encode($payload)` bodies JSON.
 * Placeholders (`6281218xxxxxx`, empty tokens) are kept as the docs write them; the tests put
 * real numbers and the sandbox's credentials in their place.
 */

/** The docs' recipient placeholder, which the tests replace with a real number. */
export const DOCS_PHONE = '6281218xxxxxx';

/**
 * B3, bdg docs "Send Simple Text Message" and "Send Message OTP": `GET /api/send-message` with the
 * credential in the query as `token={token}.{secret_key}`, the message urlencoded.
 */
export const sendSimpleTextQuery = {
  phone: '628122364xxxx',
  message: 'Hello! This is a test message from Wablas API.',
  flag: 'instant',
};

/**
 * B5, bdg docs "Send Message to Group" (1, simple message): `GET /api/send-message` with
 * `token={token}` alone and `isGroup=true`; the group id is the docs' `$groupId`.
 */
export const sendGroupQuery = {
  phone: '123243242-asdaxxxx',
  message: 'test get',
  isGroup: 'true',
};

/**
 * B5, bdg docs "Send Message to Group" (API V1): form fields to `POST /api/send-message`; the
 * docs' comment on `isGroup`: "its string not boolean".
 */
export const sendGroupV1 = {
  phone: '872468237asd-6281218xxxxxx',
  message: 'hello there',
  isGroup: 'true',
};

/** B5, bdg docs "Send Message to Group" (API V2): JSON to `POST /api/v2/send-message`. */
export const sendGroupV2 = {
  data: [
    { phone: '6281218444-87687324xxxxxx', message: 'hello there', isGroup: 'true' },
    { phone: '6281218xxxxxx', message: 'hello there' },
  ],
};

/** B3, bdg docs "Single Send Text": form fields to `POST /api/send-message`. */
export const singleSendText = { phone: DOCS_PHONE, message: 'hello there', flag: 'instant' };

/** B6, bdg docs "Single Send Text", "Response For Single Sender". */
export const singleSendTextAnswer = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    messages: [
      {
        id: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
        phone: '6281218xxxxxx',
        message: 'hello there',
        status: 'pending',
      },
    ],
  },
};

/** B3, bdg docs "Send Text Message (v2 API)": JSON to `POST /api/v2/send-message`. */
export const sendTextV2 = {
  data: [
    {
      phone: DOCS_PHONE,
      message: 'Hello! Welcome to our service.',
      isGroup: 'false',
      flag: 'instant',
    },
    { phone: DOCS_PHONE, message: 'Thank you for your order!', isGroup: 'false', flag: 'instant' },
  ],
};

/** B6, bdg docs "Send Text Message (v2 API)", "Success Response": with `device_id`, `quota`. */
export const sendTextV2Answer = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 88,
    messages: [
      {
        id: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
        phone: '6281218xxxxxx',
        message: 'Hello! Welcome to our service.',
        status: 'pending',
      },
    ],
  },
};

/** B4, bdg docs "Single Send Image": form fields to `POST /api/send-image`. */
export const singleSendImage = {
  phone: DOCS_PHONE,
  image:
    'https://cdn-asset.jawapos.com/wp-content/uploads/2019/01/keluarga-pawang-di-jepang-maafkan-macan-putih-yang-membunuhnya_m_.jpg',
  caption: 'tes',
};

/** B6, bdg docs "Single Send Image", "Response For Single Sender": `message` null, file named. */
export const singleSendImageAnswer = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 94,
    messages: [
      {
        id: '9a983307-3b79-4cd7-b2e7-f3590dcf2283',
        phone: '6281218xxxxxx',
        message: null,
        caption: 'tes',
        image: '6e0c82ef31d7048ded6650a9c9f64e70.jpeg',
        status: 'pending',
      },
    ],
  },
};

/** B4, bdg docs "Single Send Video": form fields to `POST /api/send-video`. */
export const singleSendVideo = {
  phone: DOCS_PHONE,
  video: 'https://filesamples.com/samples/video/mp4/sample_960x540.mp4',
  caption: 'tes',
};

/**
 * B4, bdg docs "Single Send Audio": form fields to `POST /api/send-audio`. This one sample sends
 * `Authorization: $token` alone (B2), where every other sample sends `$token.$secret_key`.
 */
export const singleSendAudio = {
  phone: DOCS_PHONE,
  audio: 'https://download.samplelib.com/mp3/sample-6s.mp3',
};

/** B6, bdg docs "Single Send Audio", "Response For Single Sender": `ref_id` null, "unlimited". */
export const singleSendAudioAnswer = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A0HDJU',
    quota: 'unlimited',
    messages: [
      {
        id: 'a1787d18-1176-484f-a39d-bf02ed77a4d2',
        phone: '6281229889541',
        message: null,
        caption: 'audio',
        audio: 'file_example_MP3_700KB.mp3',
        status: 'pending',
        ref_id: null,
      },
    ],
  },
};

/** B4, bdg docs "Single Send Document": form fields to `POST /api/send-document`. */
export const singleSendDocument = {
  phone: DOCS_PHONE,
  document: 'https://pdfobject.com/pdf/sample.pdf',
  caption: 'caption',
};

/** B4, bdg docs "Multiple Send Image": JSON to `POST /api/v2/send-image`. */
export const multipleSendImage = {
  data: [
    {
      phone: DOCS_PHONE,
      image:
        'https://cdn-asset.jawapos.com/wp-content/uploads/2019/01/keluarga-pawang-di-jepang-maafkan-macan-putih-yang-membunuhnya_m_.jpg',
      caption: 'caption here',
    },
  ],
};

/** B4, bdg docs "Multiple Send Audio": JSON to `POST /api/v2/send-audio`. */
export const multipleSendAudio = {
  data: [{ phone: DOCS_PHONE, audio: 'https://download.samplelib.com/mp3/sample-6s.mp3' }],
};

/** B4, bdg docs "Multiple Send Document": JSON to `POST /api/v2/send-document`, no caption. */
export const multipleSendDocument = {
  data: [{ phone: DOCS_PHONE, document: 'https://pdfobject.com/pdf/sample.pdf' }],
};

/** B4, bdg docs "Multiple Send Video": JSON to `POST /api/v2/send-video`. */
export const multipleSendVideo = {
  data: [
    {
      phone: DOCS_PHONE,
      video: 'https://filesamples.com/samples/video/mp4/sample_960x540.mp4',
      caption: 'simple',
    },
  ],
};

/** B4, bdg docs "Multiple Send Location": JSON to `POST /api/v2/send-location`. */
export const multipleSendLocation = {
  data: [
    {
      phone: DOCS_PHONE,
      message: {
        name: 'place name',
        address: 'street',
        latitude: 24.121231,
        longitude: 55.1121221,
      },
    },
  ],
};

/** B4, bdg docs "Multiple Send Location", "Response": the location echoed as a JSON string. */
export const multipleSendLocationAnswer = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 86,
    messages: [
      {
        id: 'f0339763-8092-460b-a03e-e58f32818571',
        phone: '6281223644660',
        message:
          '{"name":"place name","address":"street","latitude":24.121231,"longitude":55.1121221}',
        status: 'pending',
      },
    ],
  },
};

/** B4, bdg docs "Multiple Send Link with Preview": JSON to `POST /api/v2/send-link`. */
export const multipleSendLink = {
  data: [
    {
      phone: DOCS_PHONE,
      message: {
        text: "WABLAS is an Whatsapp API Gateway for WhatsApp API for Business. It allows developers to interact with WhatsApp's service without having to deal with the complexities of the WhatsApp protocol.",
        link: 'https://wablas.com',
      },
    },
  ],
};

/** B6, bdg docs "Multiple Send Link with Preview", "Response": its own `message` text. */
export const multipleSendLinkAnswerMessage =
  'Link Preview Message is pending and waiting to be processed, with error: 0';

/** B7, bdg docs "Create Schedule": form fields to `POST /api/schedule`. */
export const createSchedule = {
  phone: DOCS_PHONE,
  date: '2022-05-20',
  time: '13:20:00',
  timezone: 'Asia/Jakarta',
  message: 'hello',
  isGroup: 'true',
};

/** B7, bdg docs "Create Schedule", "Response": `messages` at the top, a `"phones list"` key. */
export const createScheduleAnswer = {
  status: true,
  category: 'text',
  message: 'Scheduled Messages is succesfully saved and waiting to be processed',
  'phones list': ['0876564546565'],
  messages: [
    {
      id: '8d554adc-7279-4864-adbd-7407e47e6b9d',
      phone: '62876564546565',
      message: 'text',
      status: true,
      timezone: 'Asia/Jakarta',
      schedule_at: '2022-05-20 13:20:00',
    },
  ],
};

/**
 * B4, bdg docs "Upload File to Server Wablas": `POST /api/upload/$type` ("type = document, image,
 * audio, video") with one multipart part, `array('file' => new CURLFile(...))`.
 */
export const uploadFile = { type: 'image', part: 'file' } as const;

/** B4, bdg docs "Upload File to Server Wablas", "Response", the URL as the docs template it. */
export const uploadFileAnswer = {
  status: true,
  message: 'Upload file successfully',
  data: { messages: [{ url: 'https://bdg.wablas.com/$type/$filename' }] },
};

/** B8, bdg docs "Device Info": `GET /api/device/info?token=$token`, the token alone. */
export const deviceInfoQuery = { token: '' };

/** B8, bdg docs "Device Info", "Response". */
export const deviceInfoAnswer = {
  status: true,
  data: {
    name: 'eko',
    serial: 'WYE9xx',
    sender: '628122988xxxx',
    quota: 91,
    expired_date: '2022-04-08',
    active: true,
    status: 'disconnected',
  },
};

/**
 * B9, bdg docs "Check Phone": `GET https://phone.wablas.com/check-phone-number?phones=...` with
 * `Authorization: $token` and the server in a `url` header.
 */
export const checkPhone = {
  phones: '6281393961320,62142312121',
  headers: { url: 'https://bdg.wablas.com' },
};

/** B9, bdg docs "Check Phone", "Response": `status` is the string "success" here. */
export const checkPhoneAnswer = {
  status: 'success',
  data: [
    { phone: '6281393961320', status: 'online' },
    { phone: '62142312121', status: 'offline' },
  ],
  message: 'Success',
};

/** B13, bdg docs "Webhook For Receive Incoming Whatsapp Message", "Personal Message". */
export const incomingPersonalMessage = {
  id: '809DE6896F2203BC296652E16DEEC90E',
  pushName: 'Marina Karina',
  isGroup: false,
  group: { sender: '', subject: '', owner: '', desc: '', participants: null },
  message: 'File',
  phone: '6281393961XXX',
  messageType: 'text',
  file: '',
  url: '',
  mimeType: '',
  deviceId: 'A0HDJU',
  sender: '6289628189XXX',
  isFromMe: false,
  timestamp: '2021-03-31T02:15:45Z',
  profileImage: 'https://pps.whatsapp.net/v/t61.24694-24/321179913_n.jpg',
};

/**
 * B13, bdg docs "Webhook For Tracking Whatsapp Message": no JSON sample, only the fields the PHP
 * reader takes, in its order.
 */
export const trackingFields = ['id', 'status', 'phone', 'note', 'sender', 'deviceId'];

/** B13, bdg docs "Webhook For Tracking Whatsapp Message": the statuses the field list names. */
export const trackingStatuses = [
  'pending',
  'delivered',
  'received',
  'sent',
  'read',
  'cancel',
  'rejected',
];

/** B13, bdg docs "Webhook Device". */
export const deviceWebhook = {
  deviceId: 'LJH8UM',
  deviceName: 'Riza Arif',
  sender: '6283841502450',
  status: 'connected',
  note: 'ready to use',
  timestamp: '2024-01-22T04:56:02.41114184Z',
};
