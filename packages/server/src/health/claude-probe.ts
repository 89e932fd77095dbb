import type { AuthMethod } from '@clawdforge/shared';
import type { Clock } from '../clock.js';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { runShortCommand } from '../process/short-command.js';

export interface ClaudeStatus {
  present: boolean;
  version: string | null;
  loggedIn: boolean | null;
  authMethod: AuthMethod;
}

const PROBE_TIMEOUT_MS = 5_000;

function authMethodOf(reported: unknown, loggedIn: boolean | null): AuthMethod {
  if (reported === 'api_key' || reported === 'oauth_token' || reported === 'none') return reported;
  if (loggedIn === true) return 'subscription_login';
  return loggedIn === false ? 'none' : 'unknown';
}

/**
 * Asks the CLI for its version and login state, at most once per `ttlMs`:
 * a burst of health probes shares one answer instead of forking per request.
 */
export class ClaudeProbe {
  private cached: { at: number; status: ClaudeStatus } | undefined;
  private inFlight: Promise<ClaudeStatus> | undefined;

  /** @param cli the binary, and the launcher runs use: the probe runs as they do and sees the login they see. */
  constructor(
    private readonly cli: { bin: string; launcher: ProcessLauncher },
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  async status(): Promise<ClaudeStatus> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.status;
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    const status = await this.inFlight;
    this.cached = { at: this.clock.now().getTime(), status };
    return status;
  }

  private async probe(): Promise<ClaudeStatus> {
    const { bin, launcher } = this.cli;
    const version = await runShortCommand(launcher, bin, ['--version'], PROBE_TIMEOUT_MS);
    if (version.error || version.exitCode !== 0) {
      return { present: false, version: null, loggedIn: null, authMethod: 'unknown' };
    }
    // `auth status` exits 1 when logged out but still prints its JSON: read stdout either way.
    const auth = await runShortCommand(launcher, bin, ['auth', 'status'], PROBE_TIMEOUT_MS);
    let loggedIn: boolean | null = null;
    let reported: unknown;
    try {
      const parsed = JSON.parse(auth.stdout) as { loggedIn?: unknown; authMethod?: unknown };
      loggedIn = typeof parsed.loggedIn === 'boolean' ? parsed.loggedIn : null;
      reported = parsed.authMethod;
    } catch {
      // an older CLI without `auth status`: unknown, not an error
    }
    return {
      present: true,
      version: version.stdout.trim().split('\n')[0] ?? null,
      loggedIn,
      authMethod: authMethodOf(reported, loggedIn),
    };
  }
}
