/**
 * The id of a reply button that answers a Send and Wait question: `kabar-wait:`, the resume URL's
 * path and query (signature included), `#`, the answer's value. The tap comes back to the Kabar
 * WhatsApp Trigger, not to the resume URL, so the id must carry everything the trigger needs to
 * resume the execution. The origin is left out: the trigger posts only to its own n8n. A URL's path
 * and query never hold a `#` (it would start the fragment), so the first one ends the path.
 */

/** What every wait button's id starts with. */
export const WAIT_BUTTON_PREFIX = 'kabar-wait:';

/** The button id for one answer to the execution waiting at `resumeUrl`. */
export function waitButtonId(resumeUrl: string, value: string): string {
  const url = new URL(resumeUrl);
  return `${WAIT_BUTTON_PREFIX}${url.pathname}${url.search}#${value}`;
}

/** A wait button's tap: where to post the answer on the trigger's own n8n, and the answer. */
export interface WaitButtonTap {
  /** The resume URL's path and query. */
  path: string;
  value: string;
}

/** The tap a button id stands for, or undefined when it is not a wait button's id. */
export function parseWaitButtonId(id: string): WaitButtonTap | undefined {
  if (!id.startsWith(WAIT_BUTTON_PREFIX)) return undefined;
  const rest = id.slice(WAIT_BUTTON_PREFIX.length);
  const hash = rest.indexOf('#');
  if (hash < 0) return undefined;
  return { path: rest.slice(0, hash), value: rest.slice(hash + 1) };
}
