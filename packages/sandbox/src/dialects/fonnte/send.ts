import type { GatewayRequest } from '../../gateway.js';
import { json, type Reply } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import type { SandboxMessage } from '../../types.js';
import { isHttpUrl } from '../../webhook-config.js';
import { type FonnteFields, readFonnteFields } from './fields.js';
import {
  extensionOf,
  FONNTE_MAX_FILE_BYTES,
  type FonnteMediaType,
  fileExtension,
  mediaTypeOf,
} from './media-rules.js';
import type { FonnteMessageStatus } from './sent-log.js';
import type { FonnteContext } from './state.js';
import { countryCodeOf, type FonnteTarget, fillVariables, parseTargets } from './targets.js';

/**
 * Fonnte publishes no length limit; WhatsApp's own limit for a text in the Cloud API, which the
 * other dialects and Kabar's message model use too, stands in for it.
 */
export const FONNTE_MAX_MESSAGE_LENGTH = 4096;

/** A poll has 2 to 12 options (docs: api-send-message, `choices`). */
const POLL_CHOICES = { min: 2, max: 12 };

/** `"-7.983908, 112.621391"`, as the docs' sample writes a location. */
const LOCATION = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

type Fields = Extract<FonnteFields, { ok: true }>;

/** What a send carries besides its text, once its fields are checked. */
type Content =
  | { ok: true; type: 'text' }
  | { ok: true; type: FonnteMediaType; file?: File }
  | { ok: true; type: 'location'; place: string }
  | { ok: true; type: 'poll'; summary: string }
  | { ok: false; reason: string };

/** The refusal for a `/send`; like its successes, it names the request (`requestid`, Feb 2025). */
function refusal(reason: string, requestid: number): Reply {
  return json(200, { reason, requestid, status: false });
}

/**
 * `POST /send` and `GET /send`: one message per target, in target order, each stored with the id
 * the answer gives it. Refusals are HTTP 200 with `status: false`, as Fonnte answers them.
 */
export async function sendMessage(state: FonnteContext, req: GatewayRequest): Promise<Reply> {
  const requestid = state.fonnte.requestIds.next();
  const fields = await readFonnteFields(req);
  if (!fields.ok) return refusal(fields.reason, requestid);
  const text = (name: string) => fields.text.get(name) ?? '';
  const device = state.fonnte.device;
  if (!device.view().connected) return refusal('device disconnected', requestid);

  if (text('target').trim() === '') return refusal('target required', requestid);
  const { targets } = parseTargets(text('target'), countryCodeOf(fields.text.get('countryCode')));
  // Items that are neither a number nor a group are skipped, like a bulk send's bad rows; the
  // answer's `target` shows which ones went out.
  if (targets.length === 0) return refusal('target invalid', requestid);
  const content = contentOf(fields);
  if (!content.ok) return refusal(content.reason, requestid);
  // Form encoding turns every line break into CRLF; the recipient sees plain line breaks.
  const message = text('message').replace(/\r\n/g, '\n');
  if (message.length > FONNTE_MAX_MESSAGE_LENGTH) return refusal('message too long', requestid);

  const upload = 'file' in content && content.file ? await uploadOf(content.file) : undefined;
  // Only a media store set smaller than Fonnte's 10 MB can refuse a file that passed its rules.
  if (upload && upload.bytes.length > state.media.maxFileBytes) {
    return refusal(`file too large for the sandbox's media store (maxMediaBytes)`, requestid);
  }

  const quota = device.view().quota;
  if (!device.spend(targets.length)) return refusal('insufficient quota', requestid);

  const stored = upload && state.media.save('fonnte', upload);
  // The stored payload keeps the fields as received; an upload is described, not copied.
  const payload = stored
    ? {
        ...fields.payload,
        file: {
          filename: stored.filename,
          mimeType: stored.mimeType,
          size: stored.bytes.length,
          mediaId: stored.id,
        },
      }
    : fields.payload;
  const now = state.clock.now();
  const schedule = Number(/^\s*\d+\s*$/.test(text('schedule')) ? text('schedule') : 0);
  const scheduled = schedule * 1000 > now;
  const ids = targets.map((target) => {
    const id = state.fonnte.messageIds.next();
    const sandboxMessage: SandboxMessage = {
      id: String(id),
      provider: 'fonnte',
      direction: 'outbound',
      to: target.group ? target.to.replace(/@g\.us$/, '') : target.to,
      type: content.type,
      text: summaryOf(content, fillVariables(message, target.vars)),
      payload,
      // A scheduled message waits in Fonnte's queue; the sandbox leaves it there.
      status: scheduled ? 'queued' : 'accepted',
      createdAt: new Date(now).toISOString(),
      ...(target.group ? { groupId: target.to } : {}),
    };
    const sent = { stateid: newWebMessageId(), status: fonnteStatusOf(state, target, scheduled) };
    state.messages.add(sandboxMessage);
    state.fonnte.sent.add(sandboxMessage.id, sent);
    if (!scheduled) state.fonnte.statuses.start(sandboxMessage, sent);
    return id;
  });

  const deviceNumber = device.view().number;
  // Key order as in the captured answer (research note A5), which Fonnte sorts alphabetically.
  return json(200, {
    detail: 'success! message in queue',
    id: ids,
    process: 'pending',
    quota: {
      [deviceNumber]: {
        details: 'deduced from total quota',
        quota,
        remaining: quota - targets.length,
        used: targets.length,
      },
    },
    requestid,
    status: true,
    target: targets.map((target) => target.to),
  });
}

function fonnteStatusOf(
  state: FonnteContext,
  target: FonnteTarget,
  scheduled: boolean,
): FonnteMessageStatus {
  if (scheduled) return 'pending';
  return target.group || state.fonnte.device.isRegistered(target.to) ? 'sent' : 'invalid';
}

/**
 * Which kind of message the fields make. The docs' sample sets `file`, `url` and `location` at
 * once without saying which wins; the sandbox takes the upload, then the link, then the place,
 * then a poll, else a text.
 */
function contentOf(fields: Fields): Content {
  const text = (name: string) => fields.text.get(name)?.trim() ?? '';
  if (fields.file) {
    const type = mediaTypeOf(fileExtension(fields.file.name, fields.file.type));
    if (!type) return { ok: false, reason: 'file format not supported' };
    if (fields.file.size > FONNTE_MAX_FILE_BYTES) {
      return { ok: false, reason: 'file too large, maximum 10 MB' };
    }
    return { ok: true, type, file: fields.file };
  }
  const url = text('url');
  if (url !== '') {
    if (!isHttpUrl(url)) return { ok: false, reason: 'url invalid' };
    // A link's size shows only once Fonnte fetches it; its type shows in the name, when it has
    // one. A link without an extension is sent as a file, the kind that takes anything.
    const extension = extensionOf(new URL(url).pathname);
    const type = extension === '' ? 'document' : mediaTypeOf(extension);
    return type ? { ok: true, type } : { ok: false, reason: 'file format not supported' };
  }
  const location = text('location');
  if (location !== '') {
    const match = LOCATION.exec(location);
    const latitude = Number(match?.[1]);
    const longitude = Number(match?.[2]);
    if (!match || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      return { ok: false, reason: 'location invalid' };
    }
    return { ok: true, type: 'location', place: `${latitude},${longitude}` };
  }
  if (text('choices') !== '') return pollOf(fields);
  if (text('message') === '') return { ok: false, reason: 'message required' };
  return { ok: true, type: 'text' };
}

function pollOf(fields: Fields): Content {
  const choices = (fields.text.get('choices') ?? '')
    .split(',')
    .map((choice) => choice.trim())
    .filter((choice) => choice !== '');
  if (choices.length < POLL_CHOICES.min || choices.length > POLL_CHOICES.max) {
    return { ok: false, reason: 'choices must have 2 to 12 options' };
  }
  const select = fields.text.get('select')?.trim().toLowerCase() || 'single';
  if (select !== 'single' && select !== 'multiple') {
    return { ok: false, reason: 'select must be single or multiple' };
  }
  const pollname = fields.text.get('pollname')?.trim() ?? '';
  if (pollname === '') return { ok: false, reason: 'pollname required' };
  return { ok: true, type: 'poll', summary: `${pollname}: ${choices.join(' / ')}` };
}

/** The inbox line for one recipient's copy. */
function summaryOf(content: Extract<Content, { ok: true }>, message: string): string {
  switch (content.type) {
    case 'text':
      return message;
    case 'location':
      return message || content.place;
    case 'poll':
      return content.summary;
    default:
      return message || `[${content.type}]`;
  }
}

/** An uploaded part as the media store keeps it. */
async function uploadOf(
  file: File,
): Promise<{ bytes: Uint8Array; mimeType: string; filename: string }> {
  return {
    bytes: new Uint8Array(await file.arrayBuffer()),
    mimeType: file.type || 'application/octet-stream',
    filename: file.name,
  };
}
