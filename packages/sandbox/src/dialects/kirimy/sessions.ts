import { wibDay } from '../../calendar.js';
import type { KirimySession, KirimySessionPatch } from '../../types.js';

/** Kirimy's example session and the fallback its docs tell clients to keep ready. */
export const KIRIMY_SESSIONS = ['sessioncontoh', 'cadangan'] as const;

/** Kirimy's docs: "Maksimal 1000 pesan per hari per session". */
export const KIRIMY_DAILY_QUOTA = 1000;

interface Session {
  active: boolean;
  dailyQuota: number;
  day: string;
  sent: number;
}

/** Whether a session may send one more message, and if not, why. */
export type QuotaCheck = 'ok' | 'not-found' | 'inactive' | 'quota-exceeded';

/** Kirimy's WhatsApp sessions: which exist, which are connected, and how much of today's quota is used. */
export class KirimySessions {
  #sessions = new Map<string, Session>();

  constructor() {
    this.reset();
  }

  list(): KirimySession[] {
    return [...this.#sessions.keys()].map((id) => this.#view(id));
  }

  /** Creates or updates a session; a new one starts active with the documented quota. */
  set(id: string, patch: KirimySessionPatch): KirimySession {
    const session = this.#sessions.get(id) ?? this.#fresh();
    if (patch.active !== undefined) session.active = patch.active;
    if (patch.dailyQuota !== undefined) session.dailyQuota = patch.dailyQuota;
    this.#sessions.set(id, session);
    return this.#view(id);
  }

  /** Checks the session can send and, when it can, uses up one message of today's quota. */
  send(id: string): QuotaCheck {
    const session = this.#sessions.get(id);
    if (!session) return 'not-found';
    if (!session.active) return 'inactive';
    this.#rollOver(session);
    if (session.sent >= session.dailyQuota) return 'quota-exceeded';
    session.sent += 1;
    return 'ok';
  }

  reset(): void {
    this.#sessions = new Map(KIRIMY_SESSIONS.map((id) => [id, this.#fresh()]));
  }

  #fresh(): Session {
    return { active: true, dailyQuota: KIRIMY_DAILY_QUOTA, day: wibDay(), sent: 0 };
  }

  #rollOver(session: Session): void {
    const today = wibDay();
    if (session.day === today) return;
    session.day = today;
    session.sent = 0;
  }

  #view(id: string): KirimySession {
    const session = this.#sessions.get(id) as Session;
    this.#rollOver(session);
    return { id, active: session.active, dailyQuota: session.dailyQuota, sentToday: session.sent };
  }
}
