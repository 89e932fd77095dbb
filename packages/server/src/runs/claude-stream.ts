// Reads the CLI's `--output-format stream-json` stdout line by line. The last
// `result` line is the run's outcome; earlier lines let the runner act early.
// Line types it does not know are skipped, never fatal.

/** The fields of the CLI's `result` object the service relies on (see claude-cli.md). */
export interface ClaudeResult {
  type: 'result';
  subtype?: string;
  is_error?: boolean;
  result?: string;
  stop_reason?: string | null;
  terminal_reason?: string;
  api_error_status?: number | null;
  api_error_type?: string;
  session_id?: string;
  total_cost_usd?: number;
  usage?: { input_tokens?: number; output_tokens?: number };
  modelUsage?: Record<string, unknown>;
  /** With --json-schema: the object the CLI validated against it. */
  structured_output?: unknown;
  /** Error details, e.g. why structured output failed. */
  errors?: unknown;
}

export interface StreamSummary {
  result: ClaudeResult | undefined;
  /** The full model id from `system/init`, e.g. claude-sonnet-5-5. */
  model: string | undefined;
  sessionId: string | undefined;
  /** Non-empty lines that were not JSON objects. */
  garbageLines: number;
  /** Upstream statuses of `system/api_retry` events, in order. */
  retryStatuses: number[];
  /** Epoch seconds when a rejected rate limit resets, from `rate_limit_event`. */
  rateLimitResetsAt: number | undefined;
}

type Line = Record<string, unknown> & { type?: unknown; subtype?: unknown };

export class ClaudeStreamReader {
  readonly summary: StreamSummary = {
    result: undefined,
    model: undefined,
    sessionId: undefined,
    garbageLines: 0,
    retryStatuses: [],
    rateLimitResetsAt: undefined,
  };
  private pending = '';

  /** @param onRetry called for each `api_retry` event with its upstream status. */
  constructor(private readonly onRetry: (status: number) => void = () => {}) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.handleLine(line);
  }

  end(): void {
    if (this.pending) this.handleLine(this.pending);
    this.pending = '';
  }

  private handleLine(raw: string): void {
    const line = raw.trim();
    if (!line) return;
    let event: Line;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      event = parsed as Line;
    } catch {
      this.summary.garbageLines += 1;
      return;
    }
    if (event.type === 'result') {
      this.summary.result = event as unknown as ClaudeResult;
    } else if (event.type === 'system' && event.subtype === 'init') {
      if (typeof event.model === 'string') this.summary.model = event.model;
      if (typeof event.session_id === 'string') this.summary.sessionId = event.session_id;
    } else if (event.type === 'system' && event.subtype === 'api_retry') {
      const status = Number(event.error_status);
      if (Number.isFinite(status)) {
        this.summary.retryStatuses.push(status);
        this.onRetry(status);
      }
    } else if (event.type === 'rate_limit_event') {
      const info = event.rate_limit_info as { status?: unknown; resetsAt?: unknown } | undefined;
      if (info?.status === 'rejected' && typeof info.resetsAt === 'number') this.summary.rateLimitResetsAt = info.resetsAt;
    }
  }
}
