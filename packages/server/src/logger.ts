import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** JSON lines on stdout. Request and run logs carry metadata only: no tokens, no prompts. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'clawdforge' },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token', '*.prompt'], censor: '[redacted]' },
  });
}
