import type { WebhookConfig, WebhookProvider, WebhookTarget } from './types';

export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = ['kirem', 'meta'];

/** What a project is given until it sets its own: Kirem's webhook secret, Meta's app secret. */
export const DEFAULT_WEBHOOK_SECRETS: Record<WebhookProvider, string> = {
  kirem: 'kirem_webhook_secret',
  meta: 'meta_app_secret',
};

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The webhook URL and secret of each provider; reset() returns to the ones given at startup. */
export class WebhookTargets {
  #targets = new Map<WebhookProvider, WebhookConfig>();

  constructor(private readonly initial: Partial<Record<WebhookProvider, WebhookTarget>>) {
    this.reset();
  }

  set(provider: WebhookProvider, target: WebhookTarget): WebhookConfig {
    const config = {
      provider,
      url: target.url,
      secret: target.secret ?? DEFAULT_WEBHOOK_SECRETS[provider],
    };
    this.#targets.set(provider, config);
    return config;
  }

  get(provider: WebhookProvider): WebhookConfig | undefined {
    return this.#targets.get(provider);
  }

  list(): WebhookConfig[] {
    return WEBHOOK_PROVIDERS.flatMap((provider) => this.#targets.get(provider) ?? []);
  }

  remove(provider: WebhookProvider): boolean {
    return this.#targets.delete(provider);
  }

  reset(): void {
    this.#targets.clear();
    for (const provider of WEBHOOK_PROVIDERS) {
      const target = this.initial[provider];
      if (target) this.set(provider, target);
    }
  }
}
