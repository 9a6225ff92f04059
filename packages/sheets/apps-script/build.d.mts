export declare const REQUIRED_FUNCTIONS: string[];

/** The registry fields the bundle's plain-data copy of `@kabar/core/gateways` keeps. */
export declare const REGISTRY_FIELDS: readonly ['name', 'label', 'defaultRateLimit'];

/** Core's registry reduced to `REGISTRY_FIELDS`, as the bundle gets it. */
export declare function registrySnapshot(): Promise<Record<string, unknown>[]>;

export declare function buildAppsScript(options?: { outDir?: string }): Promise<{
  dir: string;
  codePath: string;
  bytes: number;
  functions: string[];
}>;
