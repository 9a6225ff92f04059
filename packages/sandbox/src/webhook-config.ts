import type { WebhookConfig, WebhookProvider, WebhookTarget } from './types.js';

/** Whether `value` is an absolute http(s) URL, the only kind the sandbox posts to or fetches. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A gateway that has a webhook, and the secret a project is given until it sets its own. */
export interface WebhookDefault {
  readonly provider: WebhookProvider;
  readonly defaultSecret: string;
}

/** The webhook URL and secret of each provider; reset() returns to the ones given at startup. */
export class WebhookTargets {
  #targets = new Map<WebhookProvider, WebhookConfig>();

  /** `defaults` lists the gateways with a webhook in the order list() reports them. */
  constructor(
    private readonly initial: Partial<Record<WebhookProvider, WebhookTarget>>,
    private readonly defaults: readonly WebhookDefault[],
  ) {
    this.reset();
  }

  set(provider: WebhookProvider, target: WebhookTarget): WebhookConfig {
    const fallback = this.defaults.find((known) => known.provider === provider)?.defaultSecret;
    const config = { provider, url: target.url, secret: target.secret ?? fallback ?? '' };
    this.#targets.set(provider, config);
    return config;
  }

  get(provider: WebhookProvider): WebhookConfig | undefined {
    return this.#targets.get(provider);
  }

  list(): WebhookConfig[] {
    return this.defaults.flatMap(({ provider }) => this.#targets.get(provider) ?? []);
  }

  remove(provider: WebhookProvider): boolean {
    return this.#targets.delete(provider);
  }

  reset(): void {
    this.#targets.clear();
    for (const { provider } of this.defaults) {
      const target = this.initial[provider];
      if (target) this.set(provider, target);
    }
  }
}
