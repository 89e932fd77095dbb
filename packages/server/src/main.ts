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
  const stop = (signal: NodeJS.Signals) => {
    app.services.logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`clawdforge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
