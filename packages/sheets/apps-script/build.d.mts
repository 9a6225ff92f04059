export declare const REQUIRED_FUNCTIONS: string[];

export declare function buildAppsScript(options?: { outDir?: string }): Promise<{
  dir: string;
  codePath: string;
  bytes: number;
  functions: string[];
}>;
