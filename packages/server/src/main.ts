#!/usr/bin/env node
import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`clawdforge: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await startApp(config);
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    // A second signal means "now": the grace period is skipped.
    const graceMs = signals === 1 ? config.shutdownGraceSecs * 1000 : 0;
    app.services.logger.info({ signal, grace_ms: graceMs }, 'shutting down');
    if (signals > 1) app.services.runs.stopNow();
    app.shutdown(graceMs).then(
      () => process.exit(0),
      (error: unknown) => {
        app.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`clawdforge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
