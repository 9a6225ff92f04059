import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteConsentStore } from './consent-store.js';

describe('sqliteConsentStore', () => {
  it('keeps consent across a restart, and a newer record over an older one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'woo-consent-')), 'outbox.db');
    const first = sqliteConsentStore(path);
    const checkout = { status: 'opted_in' as const, source: 'checkout', at: 1_000 };
    const stop = { status: 'opted_out' as const, source: 'keyword', at: 2_000 };
    expect(await first.set('6281234567890', checkout)).toBeUndefined();
    expect(await first.set('6281234567890', stop)).toEqual(checkout);
    first.close();

    const again = sqliteConsentStore(path);
    expect(await again.get('6281234567890')).toEqual(stop);
    // A redelivered order placed before the STOP does not opt the customer back in.
    expect(await again.set('6281234567890', checkout)).toEqual(stop);
    expect(await again.get('6281234567890')).toEqual(stop);
    expect(await again.get('6281311112222')).toBeUndefined();
    again.close();
  });
});
