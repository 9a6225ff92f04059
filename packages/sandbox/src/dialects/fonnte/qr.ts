import { randomInt } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** A version-3 QR code's size in modules, with the four-module quiet zone around it. */
const MODULES = 29;
const QUIET = 4;
const SCALE = 4;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Whether a module belongs to one of the three finder squares a QR code has in its corners. */
function finder(row: number, col: number): boolean | undefined {
  for (const [top, left] of [
    [0, 0],
    [0, MODULES - 7],
    [MODULES - 7, 0],
  ] as const) {
    const r = row - top;
    const c = col - left;
    if (r < 0 || r > 6 || c < 0 || c > 6) continue;
    const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
    return ring !== 2;
  }
  return undefined;
}

/**
 * A fresh login QR as Fonnte's `/qr` gives it: a PNG in base64, without a data-URL prefix. It
 * looks like a QR code (finder squares, random modules) but encodes nothing: there is no phone to
 * scan it, and a new one each time shows that Fonnte's codes expire.
 */
export function loginQrPng(): string {
  const side = (MODULES + 2 * QUIET) * SCALE;
  const rowBytes = Math.ceil(side / 8);
  const dark = Array.from({ length: MODULES }, (_, row) =>
    Array.from({ length: MODULES }, (_, col) => finder(row, col) ?? randomInt(2) === 1),
  );
  // Each row: filter type 0, then one bit per pixel; in grayscale at depth 1, 0 is black.
  const raw = Buffer.alloc(side * (rowBytes + 1));
  for (let y = 0; y < side; y++) {
    const row = Math.floor(y / SCALE) - QUIET;
    for (let x = 0; x < side; x++) {
      const col = Math.floor(x / SCALE) - QUIET;
      if (dark[row]?.[col] === true) continue;
      const at = y * (rowBytes + 1) + 1 + (x >> 3);
      raw.writeUInt8((raw.readUInt8(at) | (0x80 >> (x & 7))) & 0xff, at);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png.toString('base64');
}
