import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import type { SandboxControl, SandboxMessage } from '@kabar/sandbox';

/** The seed's header, in Indonesian as a Kirem customer's sheet would have it. */
export const HEADER = [
  'Nomor HP',
  'Nama',
  'Kode Promo',
  'Status',
  'WA ID',
  'Waktu Kirim',
  'Opt-Out',
];

/** The Kirem seed's broadcast template ("broadcast_promo"): {{1}} the name, {{2}} the promo code. */
export const PROMO_TEMPLATE = 'broadcast_promo';

export interface Customer {
  /** As typed in the sheet: '0812…', '+62 812-…', or a number that lost its leading 0. */
  cell: string | number;
  /** The number the gateway should see. */
  phone: string;
  name: string;
  promo: string;
}

/** Distinct valid Indonesian mobile numbers, written the ways people type them. */
export function customers(count: number, offset = 0): Customer[] {
  return Array.from({ length: count }, (_, index) => {
    const n = offset + index;
    const subscriber = String(81_230_000_000 + n); // 81230000000 → +62 812-3000-0000
    const phone = `62${subscriber}`;
    const forms: (string | number)[] = [
      `0${subscriber}`,
      Number(subscriber), // a number cell: the leading 0 is gone
      `+62 ${subscriber.slice(0, 3)}-${subscriber.slice(3, 7)}-${subscriber.slice(7)}`,
      phone,
    ];
    return {
      cell: forms[n % forms.length] as string | number,
      phone,
      name: `Pelanggan ${n + 1}`,
      promo: `PROMO${String(n + 1).padStart(5, '0')}`,
    };
  });
}

/** A sheet with the header and one row per customer (status columns blank). */
export function sheetOf(list: Customer[]): unknown[][] {
  return [HEADER, ...list.map((c) => [c.cell, c.name, c.promo])];
}

/** Creates the seed's broadcast_promo template on the sandbox's Kirem and approves it. */
export async function approvePromoTemplate(sandbox: SandboxControl): Promise<void> {
  const client = createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
  await client.templates.create({
    name: PROMO_TEMPLATE,
    category: 'MARKETING',
    language: 'id',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Promo Spesial!' },
      {
        type: 'BODY',
        text: 'Halo {{1}}, Jangan lewatkan promo spesial kami! Gunakan kode *{{2}}* untuk mendapatkan diskon di seluruh produk.',
      },
    ],
  });
  await sandbox.setTemplateStatus('kirem', PROMO_TEMPLATE, 'APPROVED');
}

/** Every outbound Kirem message the sandbox holds. */
export async function kiremMessages(sandbox: SandboxControl): Promise<SandboxMessage[]> {
  return sandbox.messages({ provider: 'kirem', direction: 'outbound', limit: 100_000 });
}

/** The largest number of timestamps (ms) inside any window of `windowMs` (half-open). */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** A cell of the fake sheet as text ('' when blank). */
export function cell(rows: unknown[][], row: number, column: number): string {
  const value = rows[row - 1]?.[column];
  return value === undefined || value === null ? '' : String(value);
}
