import type { ControlCalls } from '../../control-calls.js';
import type { KirimyControl, KirimySession, KirimySessionPatch } from '../../types.js';

/** Kirimy's control methods, as requests to the routes in control.ts. */
export function kirimyClient({ required }: ControlCalls): KirimyControl {
  return {
    async kirimySessions() {
      const result = await required<{ sessions: KirimySession[] }>('GET', '/kirimy/sessions');
      return result.sessions;
    },
    setKirimySession: (id: string, patch: KirimySessionPatch) =>
      required<KirimySession>('POST', `/kirimy/sessions/${encodeURIComponent(id)}`, patch),
  };
}
