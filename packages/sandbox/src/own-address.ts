import type { IncomingHttpHeaders } from 'node:http';

/** A name the sandbox answers to, on one port or (port undefined) on any. IPv6 in brackets. */
export interface HostPattern {
  hostname: string;
  port?: number;
}

/** Names that always reach this machine, whatever DNS says. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** 'name' (any port) or 'name:port' as a pattern; undefined when it is anything more than that. */
export function parseHostPattern(raw: string): HostPattern | undefined {
  const authority = readAuthority(raw, 'http:');
  if (!authority) return undefined;
  return /:\d+$/.test(raw) ? authority : { hostname: authority.hostname };
}

/**
 * The addresses of a sandbox serving on `port`: the loopback names and the interface it was
 * bound to on that port, and whatever the operator allowed on top.
 */
export function ownAddresses(host: string, port: number, allowed: HostPattern[]): HostPattern[] {
  const bound = readAuthority(host.includes(':') ? `[${host}]` : host, 'http:')?.hostname;
  const names = bound === undefined ? LOOPBACK_NAMES : [...LOOPBACK_NAMES, bound];
  return [...names.map((hostname) => ({ hostname, port })), ...allowed];
}

/**
 * Why a request must be refused for naming another site, or undefined. `Host` must be one of the
 * sandbox's own addresses: a page whose name was rebound to 127.0.0.1 (DNS rebinding) arrives
 * with its own name there. `Origin`, which browsers send with cross-origin requests and with
 * every POST, must be the sandbox itself: any other page is not the inbox.
 */
export function foreignAddress(
  headers: IncomingHttpHeaders,
  own: HostPattern[],
): string | undefined {
  const host = readAuthority(headers.host ?? '', 'http:');
  if (!host || !own.some((pattern) => matches(pattern, host))) {
    return `Host '${headers.host ?? ''}' is not an address of this sandbox; allow it with --allow-host (SandboxOptions.allowedHosts)`;
  }
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  const page = readOrigin(origin);
  if (!page || !own.some((pattern) => matches(pattern, page))) {
    return `Origin '${origin}' is not this sandbox; only its own inbox may call it from a browser`;
  }
  return undefined;
}

function matches(pattern: HostPattern, address: Required<HostPattern>): boolean {
  return (
    pattern.hostname === address.hostname &&
    (pattern.port === undefined || pattern.port === address.port)
  );
}

/** hostname and port of 'name[:port]', the default port filled in; undefined when it is more. */
function readAuthority(
  authority: string,
  scheme: 'http:' | 'https:',
): Required<HostPattern> | undefined {
  try {
    const url = new URL(`${scheme}//${authority}`);
    // A path, credentials or a query make it something other than an authority.
    if (url.href !== `${scheme}//${url.host}/`) return undefined;
    return { hostname: url.hostname, port: Number(url.port || (scheme === 'http:' ? 80 : 443)) };
  } catch {
    return undefined;
  }
}

/** The origin's address; undefined for 'null' (sandboxed documents, files) and non-web schemes. */
function readOrigin(origin: string): Required<HostPattern> | undefined {
  const match = /^(https?:)\/\/([^/]+)$/i.exec(origin);
  const [, scheme, authority] = match ?? [];
  if (scheme === undefined || authority === undefined) return undefined;
  return readAuthority(authority, scheme.toLowerCase() as 'http:' | 'https:');
}
