import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Gateway, GatewayRequest } from '../../gateway.js';
import { isRecord, json, matchRoute, parseJson, type Reply, type Route } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import type { SandboxMessage } from '../../types.js';
import type { WaviroContext } from './state.js';

type Handler = (state: WaviroContext, req: GatewayRequest) => Reply;

type Kind = 'text' | 'media' | 'location' | 'contact';

const routes: Route<Handler>[] = [
  { method: 'POST', pattern: '/api/sendwa', handler: sender('text', 'number') },
  { method: 'POST', pattern: '/api/sendmedia', handler: sender('media', 'number') },
  { method: 'POST', pattern: '/api/sendlocation', handler: sender('location', 'number') },
  { method: 'POST', pattern: '/api/sendcontact', handler: sender('contact', 'number') },
  { method: 'POST', pattern: '/api/sendwatogroup', handler: sender('text', 'group') },
  { method: 'POST', pattern: '/api/sendmediatogroup', handler: sender('media', 'group') },
  { method: 'POST', pattern: '/api/sendlocationtogroup', handler: sender('location', 'group') },
  { method: 'POST', pattern: '/api/sendcontacttogroup', handler: sender('contact', 'group') },
  { method: 'POST', pattern: '/api/groups', handler: listGroups },
  { method: 'POST', pattern: '/api/getqr', handler: getQr },
  { method: 'POST', pattern: '/api/checknumber', handler: checkNumber },
];

/** Waviro's docs: the country code, then the number, without '+' or a leading 0. */
const NOHP = /^[1-9]\d{7,14}$/;

/** Ack codes per the docs: 0 pending, 1 sent, 2 delivered, 3 read; groups only get 0 and 1. */
const NUMBER_ACKS = [0, 1, 2, 3];
const GROUP_ACKS = [0, 1];

const MEDIA_TYPES: [RegExp, string][] = [
  [/\.(jpe?g|png|gif|webp)$/i, 'image'],
  [/\.(mp4|3gp|mov)$/i, 'video'],
  [/\.(mp3|ogg|opus|m4a|aac|wav)$/i, 'audio'],
];

const NOT_CONNECTED = 'Chatbot belum terhubung dengan WhatsApp';

/** A Waviro bot's HTTP API: sends to numbers and groups, its groups, its login QR and number checks. */
export function createWaviroGateway(state: WaviroContext): Gateway {
  return {
    provider: 'waviro',
    // Waviro answers a bad SecretKey with 400, like every other failure (docs: "Status: 400").
    authenticate(req) {
      const key = req.headers.secretkey;
      if (typeof key === 'string' && state.waviro.options.secretKeys.includes(key))
        return undefined;
      return waviroError('SecretKey yang digunakan tidak valid');
    },
    handle(req) {
      // The docs call getqr as '/api/getqr/'.
      const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
      const match = matchRoute(routes, req.method, path);
      if (!match) return waviroError(`${req.method} ${req.path} tidak ada`, 404);
      return match.handler(state, req);
    },
    errorFor: (status) => waviroError(STATUS_CODES[status] ?? 'Error', status),
  };
}

function waviroError(errorMessage: string, status = 400): Reply {
  return json(status, { success: false, errorMessage });
}

const incomplete = (fields: string[]) =>
  waviroError(`Data payload body tidak lengkap: ${fields.join(', ')}`);

function bodyOf(req: GatewayRequest): Record<string, unknown> | undefined {
  const parsed = parseJson(req.body);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

type Content =
  | { ok: true; type: string; replyType: string; text: string; fingerprint: unknown[] }
  | { ok: false; missing: string[] };

/** What the message says, for the store and for spotting a repeat; or which fields are missing. */
function contentOf(kind: Kind, body: Record<string, unknown>, to: 'number' | 'group'): Content {
  const { pesan, mediaurl, latitude, longitude, contact } = body;
  const caption = typeof pesan === 'string' ? pesan : '';
  switch (kind) {
    case 'text':
      if (caption.trim() === '') return { ok: false, missing: ['pesan'] };
      // The docs answer sendwa with type 'text' but sendwatogroup with 'chat'.
      return {
        ok: true,
        type: 'text',
        replyType: to === 'number' ? 'text' : 'chat',
        text: caption,
        fingerprint: [kind, caption],
      };
    case 'media': {
      if (typeof mediaurl !== 'string' || !/^https?:\/\/\S+$/.test(mediaurl)) {
        return { ok: false, missing: ['mediaurl'] };
      }
      const type = mediaTypeOf(mediaurl);
      return {
        ok: true,
        type,
        replyType: type,
        text: caption || `[${type}]`,
        fingerprint: [kind, mediaurl, caption],
      };
    }
    case 'location': {
      const lat = coordinate(latitude, 90);
      const long = coordinate(longitude, 180);
      const missing = [lat === undefined && 'latitude', long === undefined && 'longitude'];
      if (lat === undefined || long === undefined) {
        return { ok: false, missing: missing.filter((field) => typeof field === 'string') };
      }
      return {
        ok: true,
        type: 'location',
        replyType: 'chat',
        text: caption || `${lat},${long}`,
        fingerprint: [kind, lat, long, caption],
      };
    }
    case 'contact': {
      const valid =
        isRecord(contact) &&
        typeof contact.name === 'string' &&
        contact.name !== '' &&
        Array.isArray(contact.numbers) &&
        contact.numbers.length > 0 &&
        contact.numbers.every((number) => typeof number === 'string' && number !== '');
      if (!valid) return { ok: false, missing: ['contact'] };
      return {
        ok: true,
        type: 'contacts',
        replyType: 'vcard',
        text: contact.name as string,
        fingerprint: [kind, contact.name, contact.numbers],
      };
    }
  }
}

/** The docs send a .pdf and show type 'image'; the sandbox tells the kinds apart by extension. */
function mediaTypeOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  return MEDIA_TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'document';
}

/** The docs send coordinates as strings ("0.525960"); numbers are accepted too. */
function coordinate(value: unknown, limit: number): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > limit) {
    return undefined;
  }
  return number;
}

function sender(kind: Kind, to: 'number' | 'group'): Handler {
  return (state, req) => {
    const bot = state.waviro.bot;
    if (!bot.connection.authenticated) return waviroError(NOT_CONNECTED);
    const body = bodyOf(req);
    if (!body) return incomplete(['body']);
    const target = to === 'number' ? body.nohp : body.groupid;
    const content = contentOf(kind, body, to);
    const missing = [
      ...(typeof target === 'string' && target !== ''
        ? []
        : [to === 'number' ? 'nohp' : 'groupid']),
      ...(content.ok ? [] : content.missing),
    ];
    if (missing.length > 0 || !content.ok || typeof target !== 'string') return incomplete(missing);
    const { notifyurl } = body;
    if (notifyurl !== undefined && notifyurl !== '' && !isHttpUrl(notifyurl)) {
      return waviroError('notifyurl tidak valid');
    }

    if (to === 'number' && !(NOHP.test(target) && bot.isRegistered(target))) {
      return waviroError('Nomor WhatsApp tujuan tidak valid');
    }
    if (to === 'group' && !bot.group(target)) return waviroError('ID Group tujuan tidak valid');
    const fingerprint = JSON.stringify(content.fingerprint);
    if (bot.isRepeat(target, fingerprint)) {
      const chat = to === 'number' ? 'nomor' : 'group';
      return waviroError(`Pesan yang sama sudah dikirim ke ${chat} ini secara berturut-turut`);
    }
    bot.sent(target, fingerprint);

    const now = Date.now();
    const message: SandboxMessage = {
      id: newWebMessageId(),
      provider: 'waviro',
      direction: 'outbound',
      to: target,
      type: content.type,
      text: content.text,
      payload: body,
      status: 'accepted',
      createdAt: new Date(now).toISOString(),
    };
    if (to === 'group') message.groupId = target;
    state.messages.add(message);
    if (typeof notifyurl === 'string' && notifyurl !== '') {
      void state.waviro.acks.deliver(
        notifyurl,
        message.id,
        to === 'number' ? NUMBER_ACKS : GROUP_ACKS,
      );
    }
    return json(200, {
      success: true,
      message: {
        id: message.id,
        status: 0,
        type: content.replyType,
        timestamp: Math.floor(now / 1000),
        from: `${bot.connection.number}@c.us`,
        to: to === 'number' ? `${target}@c.us` : `${target}@g.us`,
      },
    });
  };
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
}

function listGroups(state: WaviroContext): Reply {
  if (!state.waviro.bot.connection.authenticated) return waviroError(NOT_CONNECTED);
  return json(200, {
    success: true,
    message: state.waviro.bot.groups().map((group) => ({
      groupid: group.id,
      groupname: group.name,
      grouplastchat: group.lastChat,
    })),
  });
}

function getQr(state: WaviroContext): Reply {
  const { authenticated, number } = state.waviro.bot.connection;
  if (authenticated) {
    return json(200, {
      success: true,
      message: { isAuthenticated: true, number, name: number, qrcode: '' },
    });
  }
  // Shaped like WhatsApp Web's login QR payload: '2@' and base64 refs and keys.
  const qrcode = `2@${randomBytes(6).toString('base64url')},${randomBytes(32).toString('base64')}`;
  return json(200, { success: true, message: { isAuthenticated: false, qrcode } });
}

function checkNumber(state: WaviroContext, req: GatewayRequest): Reply {
  const bot = state.waviro.bot;
  if (!bot.connection.authenticated) return waviroError(NOT_CONNECTED);
  const nohp = bodyOf(req)?.nohp;
  if (typeof nohp !== 'string' || nohp === '') return incomplete(['nohp']);
  return json(200, { success: true, message: NOHP.test(nohp) && bot.isRegistered(nohp) });
}
