import { startApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';

/** Loads the config or exits 2 with the bad variables named. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`clawdforge: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs the service until SIGTERM/SIGINT: the first waits SHUTDOWN_GRACE_SECS for running runs, a second stops them now. */
export async function serve(): Promise<void> {
  const config = configOrExit();
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config);
  } catch (error) {
    // Settings that cannot work together (RUN_AS_USER, RUNS_DIR, ALLOW_RISKY_TOOLS) are found at start.
    if (error instanceof ConfigError) {
      process.stderr.write(`clawdforge: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
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
