import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startService } from './service.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ argv: process.argv.slice(2) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const service = await startService(config, { log });
  let signals = 0;
  const stop = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      log('warn', 'shutdown_forced', { signal });
      process.exit(1);
    }
    log('info', 'shutdown_signal', { signal });
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', 'shutdown_failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  createLogger()('error', 'startup_failed', { error: (error as Error).message });
  process.exit(1);
});
