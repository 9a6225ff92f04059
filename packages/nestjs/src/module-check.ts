import { KabarError } from '@kabar/core';
import type { DiscoveryService } from '@nestjs/core';
import { DISPATCHER_METADATA, HANDLERS_CLIENT_METADATA, WEBHOOK_PATH_METADATA } from './tokens.js';

type Wrappers = ReturnType<DiscoveryService['getProviders']>;

interface Marked {
  value: unknown;
  instance: unknown;
  className: string;
}

/** The `wrappers` whose class carries metadata `key`, with its value. */
function marked(wrappers: Wrappers, key: string): Marked[] {
  const found: Marked[] = [];
  for (const { metatype, instance, isAlias } of wrappers) {
    if (isAlias || typeof metatype !== 'function') continue;
    const value: unknown = Reflect.getMetadata(key, metatype);
    if (value !== undefined) found.push({ value, instance, className: metatype.name });
  }
  return found;
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

/**
 * Stops an app whose `WhatsAppModule`s would quietly step on each other: two with one name (one
 * would answer the other's injections), two webhook endpoints on one path (Nest would route every
 * delivery to the first), or a `@WhatsAppHandlers({ client })` naming no module (its handlers
 * would never run). `clientOf` reads a dispatcher's name.
 */
export function checkWhatsAppModules(
  discovery: DiscoveryService,
  clientOf: (dispatcher: unknown) => string,
): void {
  const providers = discovery.getProviders();
  const names = marked(providers, DISPATCHER_METADATA).map(({ instance }) => clientOf(instance));
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new KabarError(
      'invalid_config',
      `WhatsAppModule: two modules are named '${twice}'. Register it once (with isGlobal to reach every module), or give each gateway its own name`,
    );
  }

  const controllers = discovery.getControllers();
  const paths = marked(controllers, WEBHOOK_PATH_METADATA).map(({ value }) =>
    trimSlashes(String(value)),
  );
  const shared = paths.find((path, index) => paths.indexOf(path) !== index);
  if (shared !== undefined) {
    throw new KabarError(
      'invalid_config',
      `WhatsAppModule: two modules mount their webhook at '${shared}'; give each its own webhookPath`,
    );
  }

  const handlers = marked([...providers, ...controllers], HANDLERS_CLIENT_METADATA);
  for (const { value, className } of handlers) {
    if (!names.includes(String(value))) {
      const known = names.map((name) => `'${name}'`).join(', ');
      throw new KabarError(
        'invalid_config',
        `${className}: @WhatsAppHandlers({ client: '${String(value)}' }) names no WhatsAppModule (the app has ${known})`,
      );
    }
  }
}
