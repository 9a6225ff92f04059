import { KabarError } from '../errors.js';

/** The environment variables a proxy is configured by, in either case. */
export type ProxyEnvironment = Record<string, string | undefined>;

function variable(env: ProxyEnvironment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value?.trim() || undefined;
}

/**
 * Whether `NO_PROXY` exempts a host: `*` exempts every host; each other entry (comma- or
 * space-separated) matches the host itself and its subdomains (`example.com`, `.example.com`),
 * optionally only on one port (`example.com:8443`).
 */
function bypasses(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase());
      const [, pattern = '', entryPort] = match ?? [];
      if (entryPort && entryPort !== port) return false;
      const domain = pattern.replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}

function proxyUrl(configured: string): URL {
  // `HTTPS_PROXY=proxy.local:3128` without a scheme is common; curl reads it as http.
  return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(configured) ? configured : `http://${configured}`);
}

/**
 * Throws `invalid_config` naming the variable (never its value, which may hold a password) when a
 * proxy variable is set to something that is not a URL, so the mistake shows when the client is
 * created rather than as a failed send.
 */
export function checkProxyEnvironment(env: ProxyEnvironment): void {
  for (const name of ['https_proxy', 'http_proxy']) {
    for (const spelled of [name, name.toUpperCase()]) {
      const value = env[spelled]?.trim();
      if (!value) continue;
      let url: URL | undefined;
      try {
        url = proxyUrl(value);
      } catch {
        url = undefined;
      }
      if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
        throw new KabarError(
          'invalid_config',
          `client: the environment variable ${spelled} must be a proxy URL such as http://proxy:3128`,
          { provider: 'client' },
        );
      }
    }
  }
}

/**
 * The proxy a request to `url` goes through, from the standard variables: `HTTPS_PROXY` for
 * https URLs, `HTTP_PROXY` for http ones (lower-case names win, as in curl), unless `NO_PROXY`
 * exempts the host. Undefined for a direct connection.
 */
export function proxyFor(url: URL, env: ProxyEnvironment): URL | undefined {
  const configured =
    url.protocol === 'https:' ? variable(env, 'https_proxy') : variable(env, 'http_proxy');
  if (!configured || bypasses(url, variable(env, 'no_proxy'))) return undefined;
  return proxyUrl(configured);
}
