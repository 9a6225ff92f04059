import { isRecord, MiB } from './http.js';
import type { Sandbox } from './sandbox.js';
import { captureSession, type ReadSession, readSession } from './session.js';
import type { SandboxSession } from './types.js';

/** What a session document's `format` says, so a stray JSON file is not taken for one. */
export const SESSION_FORMAT = 'kabar-sandbox-session';
/** The document version this sandbox writes and the only one it reads. */
export const SESSION_VERSION = 1;

/** The session as one JSON document, media in base64 (GET /api/v1/export). */
export function exportSessionDocument(sandbox: Sandbox): SandboxSession {
  const data = captureSession(sandbox);
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt: new Date().toISOString(),
    messages: data.messages,
    // The template stores are Kirem's and Meta's (Template) and Qirim's (QirimTemplate).
    templates: data.templates as SandboxSession['templates'],
    media: data.media.map(({ bytes, ...file }) => ({
      ...file,
      base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    })),
    deliveries: data.deliveries,
  };
}

/** A document to import, checked: the session it holds, or what is wrong with it. */
export function readSessionDocument(sandbox: Sandbox, value: unknown): ReadSession {
  if (!isRecord(value)) return { ok: false, problem: 'the body must be a session document' };
  if (value.format !== SESSION_FORMAT) {
    return { ok: false, problem: `format must be '${SESSION_FORMAT}'` };
  }
  if (value.version !== SESSION_VERSION) {
    const problem = `version ${JSON.stringify(value.version)} is not supported; this sandbox reads version ${SESSION_VERSION}`;
    return { ok: false, problem };
  }
  const media = decodeMedia(value.media);
  if (!media.ok) return media;
  const { messages, templates, deliveries } = value;
  return readSession(sandbox, { messages, templates, media: media.media, deliveries });
}

/**
 * The largest body POST /api/v1/import reads: a full media store in base64, plus room for the
 * messages and deliveries. The control API's usual 1 MiB would refuse most documents with media.
 */
export function importBodyLimit(maxMediaBytes: number): number {
  return Math.ceil(maxMediaBytes / 3) * 4 + 64 * MiB;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Each media entry with its `base64` decoded to `bytes`, or the problem with one. Anything that is
 * not an entry with base64 is passed on for readSession to name.
 */
function decodeMedia(
  media: unknown,
): { ok: true; media: unknown } | { ok: false; problem: string } {
  if (!Array.isArray(media)) return { ok: true, media };
  const decoded: unknown[] = [];
  for (const [index, entry] of media.entries()) {
    if (!isRecord(entry)) {
      decoded.push(entry);
      continue;
    }
    const { base64, ...file } = entry;
    if (typeof base64 !== 'string' || base64.length % 4 !== 0 || !BASE64.test(base64)) {
      return { ok: false, problem: `media[${index}].base64 must be the file's bytes in base64` };
    }
    decoded.push({ ...file, bytes: new Uint8Array(Buffer.from(base64, 'base64')) });
  }
  return { ok: true, media: decoded };
}
