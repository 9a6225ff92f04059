export declare const N8N_VERSION: string;
/** The cache folder n8n is (or will be) installed in. */
export declare function n8nDir(): string;
/** The n8n CLI script inside an install folder (run it with `node`). */
export declare function n8nBinPath(dir?: string): string;
/**
 * Makes sure n8n@1.123.50 is installed in the cache folder and returns the path of its CLI script.
 * Waits for an install already running there instead of starting a second one.
 */
export declare function ensureN8n(options?: {
  log?: (line: string) => void;
  waitTimeoutMs?: number;
}): Promise<string>;
