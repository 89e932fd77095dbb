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
  /** The last `rate_limit_event`'s report (OAuth logins only). */
  rateLimit: RateLimitInfo | undefined;
  /** The model said something (text or a tool call): a run that failed after this is not tried again elsewhere. */
  producedOutput: boolean;
}

/** A subscription window in `rate_limit_event.rate_limit_info.unifiedWindows`. */
export interface RateLimitWindow {
  utilization: number | null;
  resetsAt: number | null;
}

/** `rate_limit_event.rate_limit_info`, as far as the service reads it. */
export interface RateLimitInfo {
  status: string;
  resetsAt: number | null;
  rateLimitType: string | null;
  isUsingOverage: boolean;
  fiveHour: RateLimitWindow | null;
  sevenDay: RateLimitWindow | null;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function windowOf(value: unknown): RateLimitWindow | null {
  if (typeof value !== 'object' || value === null) return null;
  const window = value as { utilization?: unknown; resetsAt?: unknown };
  return { utilization: numberOrNull(window.utilization), resetsAt: numberOrNull(window.resetsAt) };
}

function rateLimitInfoOf(info: Record<string, unknown>, status: string): RateLimitInfo {
  const windows = (typeof info.unifiedWindows === 'object' && info.unifiedWindows !== null ? info.unifiedWindows : {}) as Record<string, unknown>;
  return {
    status,
    resetsAt: numberOrNull(info.resetsAt),
    rateLimitType: typeof info.rateLimitType === 'string' ? info.rateLimitType : null,
    isUsingOverage: info.isUsingOverage === true,
    fiveHour: windowOf(windows.five_hour),
    sevenDay: windowOf(windows.seven_day),
  };
}

type Line = Record<string, unknown> & { type?: unknown; subtype?: unknown };

/** What the stream tells as it goes, for a caller that watches (RunEvent's types, without seq). */
export type StreamEvent =
  | { type: 'started'; data: { model: string | null; session_id: string | null; cli_version: string | null } }
  | { type: 'text'; data: { text: string } }
  | { type: 'tool'; data: { name: string; summary: string } }
  | { type: 'retry'; data: { attempt: number | null; status: number | null; delay_ms: number | null } }
  | { type: 'rate_limit'; data: { status: string; resets_at: number | null } };

const SUMMARY_CHARS = 200;
/** The input field that says most about a tool call, in this order of preference. */
const TELLING_FIELDS = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description'];

/** A tool call's input in one short line: its most telling field, or its JSON. */
export function toolSummary(input: unknown): string {
  const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const telling = TELLING_FIELDS.map((name) => fields[name]).find((value) => typeof value === 'string');
  const text = typeof telling === 'string' ? telling : JSON.stringify(input ?? null);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}

const intOrNull = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : null);

export class ClaudeStreamReader {
  readonly summary: StreamSummary = {
    result: undefined,
    model: undefined,
    sessionId: undefined,
    garbageLines: 0,
    retryStatuses: [],
    rateLimitResetsAt: undefined,
    rateLimit: undefined,
    producedOutput: false,
  };
  private pending = '';

  /**
   * @param onRetry called for each `api_retry` event with its upstream status.
   * @param onEvent called for each event a watcher of the run is told (text deltas need --include-partial-messages).
   */
  constructor(
    private readonly onRetry: (status: number) => void = () => {},
    private readonly onEvent?: (event: StreamEvent) => void,
  ) {}

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
      const version = event.claude_code_version;
      this.onEvent?.({
        type: 'started',
        data: { model: this.summary.model ?? null, session_id: this.summary.sessionId ?? null, cli_version: typeof version === 'string' ? version : null },
      });
    } else if (event.type === 'system' && event.subtype === 'api_retry') {
      const status = Number(event.error_status);
      if (Number.isFinite(status)) {
        this.summary.retryStatuses.push(status);
        this.onRetry(status);
      }
      this.onEvent?.({ type: 'retry', data: { attempt: intOrNull(event.attempt), status: intOrNull(event.error_status), delay_ms: intOrNull(Math.round(Number(event.retry_delay_ms))) } });
    } else if (event.type === 'rate_limit_event') {
      const info = event.rate_limit_info as Record<string, unknown> | undefined;
      if (info?.status === 'rejected' && typeof info.resetsAt === 'number') this.summary.rateLimitResetsAt = info.resetsAt;
      if (typeof info?.status === 'string') {
        this.summary.rateLimit = rateLimitInfoOf(info, info.status);
        this.onEvent?.({ type: 'rate_limit', data: { status: info.status, resets_at: intOrNull(info.resetsAt) } });
      }
    } else {
      this.noteOutput(event);
      if (this.onEvent) this.tellPartial(event);
    }
  }

  /** A text delta, or a message of the model's own (an API error arrives as one from `<synthetic>`). */
  private noteOutput(event: Line): void {
    if (this.summary.producedOutput) return;
    if (event.type === 'assistant') {
      const model = (event.message as { model?: unknown } | undefined)?.model;
      this.summary.producedOutput = model !== '<synthetic>';
    } else if (event.type === 'stream_event') {
      const inner = event.event as { type?: unknown } | undefined;
      this.summary.producedOutput = inner?.type === 'content_block_delta' || inner?.type === 'content_block_start';
    }
  }

  /** Text deltas (`stream_event`, with --include-partial-messages) and tool calls (`assistant` messages). */
  private tellPartial(event: Line): void {
    if (event.type === 'stream_event') {
      const inner = event.event as { type?: unknown; delta?: { type?: unknown; text?: unknown } } | undefined;
      if (inner?.type === 'content_block_delta' && inner.delta?.type === 'text_delta' && typeof inner.delta.text === 'string' && inner.delta.text) {
        this.onEvent!({ type: 'text', data: { text: inner.delta.text } });
      }
    } else if (event.type === 'assistant') {
      const content = (event.message as { content?: unknown } | undefined)?.content;
      if (!Array.isArray(content)) return;
      for (const block of content as Array<{ type?: unknown; name?: unknown; input?: unknown }>) {
        if (block?.type === 'tool_use' && typeof block.name === 'string') this.onEvent!({ type: 'tool', data: { name: block.name, summary: toolSummary(block.input) } });
      }
    }
  }
}
