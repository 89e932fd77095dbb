#!/usr/bin/env node
// `node dist/main.js`: the service, as `clawdforge serve` starts it.
import { serve } from './serve.js';

// Whatever the service creates (database, uploads, run files) is private to it.
process.umask(0o077);
serve().catch((error: unknown) => {
  process.stderr.write(`clawdforge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
