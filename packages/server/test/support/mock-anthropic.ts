// A small stand-in for the Anthropic Messages API on 127.0.0.1, enough for the
// real Claude Code CLI to complete a run (see ../shared/claude-cli.md).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  body: any;
  /** What the mock reported for a streamed message: input tokens, those of them read from its prompt cache. */
  usage?: { input_tokens: number; cache_read_input_tokens: number };
  /** Who called: the API key (`x-api-key`) or the OAuth token (`Authorization: Bearer`) the request carried. */
  credential: string | null;
}

/** Response headers a reply adds, e.g. the `anthropic-ratelimit-unified-*` ones the CLI turns into `rate_limit_event`. */
export type ReplyHeaders = Record<string, string>;

/** What the mock answers to a streaming POST /v1/messages. */
export type MockReply = (
  | { kind: 'text'; text: string; /** Stream the text in these pieces, `delayMs` apart (the whole text at once by default). */ chunks?: string[]; delayMs?: number }
  | { kind: 'tool_use'; name: string; input: unknown }
  | { kind: 'error'; status: number; type: string; message?: string }
  /** Starts the event stream, then sends nothing more and never ends it: a dead upstream stream. */
  | { kind: 'hang' }
) & { headers?: ReplyHeaders };

/**
 * The headers of a subscription's limits as the Messages API sends them to
 * an OAuth login: the CLI reports them as `rate_limit_event`. `status` is
 * allowed, allowed_warning or rejected; times are epoch seconds.
 */
export function unifiedLimitHeaders(limit: { status: 'allowed' | 'allowed_warning' | 'rejected'; resetsAt: number; fiveHourUtilization?: number; sevenDayUtilization?: number; sevenDayResetsAt?: number }): ReplyHeaders {
  return {
    'anthropic-ratelimit-unified-status': limit.status,
    'anthropic-ratelimit-unified-reset': String(limit.resetsAt),
    'anthropic-ratelimit-unified-representative-claim': 'five_hour',
    'anthropic-ratelimit-unified-5h-utilization': String(limit.fiveHourUtilization ?? (limit.status === 'rejected' ? 1 : 0.1)),
    'anthropic-ratelimit-unified-5h-reset': String(limit.resetsAt),
    'anthropic-ratelimit-unified-7d-utilization': String(limit.sevenDayUtilization ?? 0.2),
    'anthropic-ratelimit-unified-7d-reset': String(limit.sevenDayResetsAt ?? limit.resetsAt + 6 * 86_400),
  };
}

/** The credential a request carried: an API key, or the token of an OAuth login. */
function credentialOf(req: IncomingMessage): string | null {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key) return key;
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1] ?? null;
}

export interface MockAnthropic {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Streaming message requests only: the ones that carry the conversation. */
  messageRequests(): RecordedRequest[];
  reply: (request: RecordedRequest) => MockReply;
  close(): Promise<void>;
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The input tokens of a request, as the mock counts them: about four
 * characters a token of its messages (the system prompt and tools are left
 * out: they are the same however a conversation is sent), so a longer
 * history costs more.
 */
export function estimateInputTokens(body: { messages?: unknown }): number {
  return Math.max(1, Math.ceil(JSON.stringify(normalized(body.messages)).length / 4));
}

/** Messages as the cache compares them: string content as a text block, cache_control marks dropped. */
function normalized(messages: unknown): unknown[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message: { role?: unknown; content?: unknown }) => ({
    role: message.role,
    content: (typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : []).map(
      ({ cache_control: _mark, ...block }: Record<string, unknown>) => block,
    ),
  }));
}

/**
 * A prompt cache as the Messages API keeps one, by message: a request that
 * marks a message with cache_control stores the conversation up to it, and a
 * later request starting with a stored prefix reads those tokens from the
 * cache. A session's turns extend the same messages; a conversation pasted
 * into one new prompt each time never starts the same way.
 */
class PromptCache {
  private readonly prefixes = new Set<string>();

  usage(body: { messages?: unknown }): { input_tokens: number; cache_read_input_tokens: number } {
    const messages = normalized(body.messages);
    const marked = Array.isArray(body.messages) ? body.messages.map((message) => JSON.stringify(message).includes('"cache_control"')) : [];
    let cachedChars = 0;
    for (let end = messages.length - 1; end > 0 && cachedChars === 0; end--) {
      const prefix = JSON.stringify(messages.slice(0, end));
      if (this.prefixes.has(prefix)) cachedChars = prefix.length;
    }
    marked.forEach((isMarked, index) => isMarked && this.prefixes.add(JSON.stringify(messages.slice(0, index + 1))));
    const total = estimateInputTokens(body);
    const cached = Math.min(total - 1, Math.floor(cachedChars / 4));
    return { input_tokens: total - cached, cache_read_input_tokens: cached };
  }
}

async function streamMessage(
  res: ServerResponse,
  model: string,
  reply: Extract<MockReply, { kind: 'text' | 'tool_use' }>,
  usage: { input_tokens: number; cache_read_input_tokens: number },
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  const id = `msg_mock_${Date.now()}`;
  sse(res, 'message_start', {
    type: 'message_start',
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
  });
  if (reply.kind === 'text') {
    sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    for (const piece of reply.chunks ?? [reply.text]) {
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
    }
  } else {
    sse(res, 'content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_mock_${Date.now()}`, name: reply.name, input: {} },
    });
    sse(res, 'content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) },
    });
  }
  sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: { output_tokens: 7 },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export async function startMockAnthropic(): Promise<MockAnthropic> {
  const requests: RecordedRequest[] = [];
  const cache = new PromptCache();
  const mock: MockAnthropic = {
    url: '',
    requests,
    messageRequests: () => requests.filter((r) => r.url.startsWith('/v1/messages') && !r.url.includes('count_tokens') && r.body?.stream === true),
    reply: () => ({ kind: 'text', text: 'mock answer' }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', body, credential: credentialOf(req) };
    requests.push(recorded);
    if (req.method === 'HEAD' || req.url?.startsWith('/api/hello')) {
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith('/v1/messages') && !req.url.includes('count_tokens')) {
      const model = typeof body?.model === 'string' ? body.model : 'claude-mock';
      if (body?.stream !== true) {
        // Side requests (titles, checks): a small valid non-streaming message.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          id: 'msg_side', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'ok' }],
          stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
        }));
        return;
      }
      const reply = mock.reply(recorded);
      if (reply.kind === 'hang') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
        sse(res, 'message_start', {
          type: 'message_start',
          message: { id: 'msg_hang', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
        });
        return; // held open until the mock closes
      }
      if (reply.kind === 'error') {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message ?? reply.type } }));
        return;
      }
      recorded.usage = cache.usage(body);
      await streamMessage(res, model, reply, recorded.usage);
      return;
    }
    if (req.url?.includes('count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 10 }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  (mock as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return mock;
}
