import type { WhatsAppClient } from '@kabar/core';
import { describe, expect, it } from 'vitest';
import { paceSends } from './pace.js';
import { maxInWindow } from './test-helpers.js';

/** A client whose "gateway" receives each send somewhere between its start and its answer. */
function jitteryClient(arrivals: number[]): WhatsAppClient {
  return {
    provider: 'fake',
    async send(message: { to: unknown }) {
      const latency = Math.random() * 30;
      // The gateway's clock: anywhere in the round trip, the worst case for a window count.
      const arrival = performance.now() + Math.random() * latency;
      await new Promise((resolve) => setTimeout(resolve, latency));
      arrivals.push(arrival);
      return { id: `id-${arrivals.length}`, to: String(message.to), provider: 'fake', raw: null };
    },
  } as unknown as WhatsAppClient;
}

describe('paceSends', () => {
  it('keeps every window at or under the limit as the gateway sees it, and spaces sends evenly', async () => {
    const arrivals: number[] = [];
    const client = paceSends(jitteryClient(arrivals), { limit: 10, intervalMs: 200 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => client.send({ to: `62812300000${i}`, text: 'x' })),
    );
    const elapsed = performance.now() - started;

    expect(arrivals).toHaveLength(60);
    expect(maxInWindow(arrivals, 200)).toBeLessThanOrEqual(10);
    // 60 sends at 10 per 200 ms is 1.2 s; a round trip per window on top at most.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(1200 + 6 * 60 + 200);
    // No burst: the first 10 are spread over the first window, not sent at once.
    const first = [...arrivals].sort((a, b) => a - b).slice(0, 10);
    expect((first[9] as number) - (first[0] as number)).toBeGreaterThan(100);
  });
});
