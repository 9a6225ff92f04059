import type { IWebhookFunctions } from 'n8n-workflow';
import type { WaitButtonTap } from '../KabarWhatsApp/wait-button';

/**
 * Resumes Send and Wait executions answered by a reply button: the trigger POSTs `answer=<value>`
 * to the resume URL the button's id carries, as the answer page's form does, so n8n checks the
 * URL's signature and calls the node's waiting webhook. The id arrives in a signed webhook, yet it
 * is only trusted this far: the request goes to this n8n's own origin (taken from the trigger's own
 * URL), and only to a path under its waiting-webhook prefix, so no button id can make the trigger
 * call another host or another n8n endpoint.
 */

/** How long one answer may take to reach n8n; the gateway waits for the trigger's answer. */
const TIMEOUT_MS = 10_000;

/** The statuses n8n answers a resume URL whose execution has gone on, finished or been deleted. */
const STALE = new Set([404, 409]);

/**
 * This n8n's origin and waiting-webhook path prefix, from the trigger's own URL:
 * `<origin><base>/webhook/<webhook id>/webhook` gives `<base>/webhook-waiting/`.
 */
function ownWaitingBase(context: IWebhookFunctions): { origin: string; prefix: string } {
  const own = new URL(String(context.getNodeWebhookUrl('default')));
  const base = own.pathname.split('/').slice(0, -3).join('/');
  return { origin: own.origin, prefix: `${base}/webhook-waiting/` };
}

/** The resume URL a tap points at on this n8n, or undefined when it points anywhere else. */
function resumeUrlOf(tap: WaitButtonTap, own: { origin: string; prefix: string }): URL | undefined {
  if (!tap.path.startsWith('/')) return undefined;
  // Resolved, so `..` and `//host` cannot leave the prefix or the origin.
  const url = new URL(tap.path, own.origin);
  if (url.origin !== own.origin || !url.pathname.startsWith(own.prefix)) return undefined;
  return url;
}

/**
 * POSTs each tap's answer to its execution's resume URL. Nothing here fails the webhook: the
 * gateway is answered 200 as for any event, and what went wrong is logged, without the URL's
 * signature.
 */
export async function resumeWaitingExecutions(
  context: IWebhookFunctions,
  taps: WaitButtonTap[],
): Promise<void> {
  if (taps.length === 0) return;
  const own = ownWaitingBase(context);
  for (const tap of taps) {
    const url = resumeUrlOf(tap, own);
    if (!url) {
      context.logger.warn(
        `Kabar WhatsApp Trigger: ignored a Send and Wait button whose path is not under ${own.prefix}`,
      );
      continue;
    }
    try {
      const response = (await context.helpers.httpRequest({
        method: 'POST',
        url: url.href,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ answer: tap.value }).toString(),
        returnFullResponse: true,
        ignoreHttpStatusErrors: true,
        timeout: TIMEOUT_MS,
      })) as { statusCode: number };
      const status = response.statusCode;
      if (status >= 200 && status < 300) continue;
      const message = STALE.has(status)
        ? `Kabar WhatsApp Trigger: a Send and Wait answer came for an execution that no longer waits (${url.pathname} answered ${status})`
        : `Kabar WhatsApp Trigger: n8n refused a Send and Wait answer (${url.pathname} answered ${status})`;
      if (STALE.has(status)) context.logger.info(message);
      else context.logger.warn(message);
    } catch (error) {
      // The code only (ECONNREFUSED, ECONNABORTED...): a client's message may quote the URL.
      const cause = (error as { code?: string }).code ?? (error as Error).name;
      context.logger.error(
        `Kabar WhatsApp Trigger: could not post a Send and Wait answer to ${url.pathname}: ${cause}`,
      );
    }
  }
}
