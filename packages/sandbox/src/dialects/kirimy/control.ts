import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import type { KirimySessionPatch } from '../../types.js';
import type { KirimyContext } from './state.js';

/** Control API routes that read and change Kirimy's sessions. */
export const kirimyControlRoutes: Route<ContextHandler<KirimyContext>>[] = [
  {
    method: 'GET',
    pattern: '/kirimy/sessions',
    handler: (s) => json(200, { sessions: s.kirimy.sessions.list() }),
  },
  { method: 'POST', pattern: '/kirimy/sessions/:id', handler: setKirimySession },
];

function setKirimySession(
  state: KirimyContext,
  req: ControlRequest,
  param: (name: string) => string,
): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { active, dailyQuota } = body.value;
  if (
    (active !== undefined && typeof active !== 'boolean') ||
    (dailyQuota !== undefined && !(Number.isInteger(dailyQuota) && (dailyQuota as number) >= 0))
  ) {
    return failure(400, 'expected { active?: boolean, dailyQuota?: integer >= 0 }');
  }
  const patch: KirimySessionPatch = {};
  if (active !== undefined) patch.active = active;
  if (dailyQuota !== undefined) patch.dailyQuota = dailyQuota as number;
  return json(200, state.kirimy.sessions.set(param('id'), patch));
}
