import { describe, expect, it } from 'vitest';
import { ClaudeStreamReader } from '../claude/claude-stream.js';
import type { RunnerOutcome } from '../claude/claude-runner.js';
import { ApiError } from '../errors.js';
import { judgeAttempt, worthAnotherAccount } from './attempt-verdict.js';

const NOW = Date.parse('2026-06-01T10:00:00Z');
const COOLDOWN = 60_000;

/** An outcome from the stream-json lines the CLI printed. */
function outcomeOf(lines: object[], extra: Partial<RunnerOutcome> = {}): RunnerOutcome {
  const reader = new ClaudeStreamReader();
  reader.push(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  reader.end();
  return { exitCode: 1, exitSignal: null, stream: reader.summary, stderrTail: '', ...extra };
}

const rejected = (resetsAt: number) => ({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt, rateLimitType: 'five_hour', isUsingOverage: false } });
const synthetic = { type: 'assistant', message: { model: '<synthetic>', content: [{ type: 'text', text: "You've hit your limit" }] } };
const spoken = { type: 'assistant', message: { model: 'claude-sonnet-5-5', content: [{ type: 'text', text: 'Half an answer' }] } };
const limited = new ApiError('claude_rate_limited', 'limit', { retryAfterSecs: 120 });

describe('what an attempt says about its account', () => {
  it('cools until the reset the rate_limit_event gave', () => {
    const resetsAt = NOW / 1000 + 3600;
    expect(judgeAttempt(outcomeOf([rejected(resetsAt), synthetic]), limited, NOW, COOLDOWN)).toMatchObject({ kind: 'rate_limited', untilMs: resetsAt * 1000 });
  });

  it("cools for the error's Retry-After when there was no event, and for the cooldown when nothing said when", () => {
    expect(judgeAttempt(outcomeOf([synthetic]), limited, NOW, COOLDOWN)).toMatchObject({ untilMs: NOW + 120_000 });
    expect(judgeAttempt(outcomeOf([synthetic]), new ApiError('claude_rate_limited', 'limit'), NOW, COOLDOWN)).toMatchObject({ untilMs: NOW + COOLDOWN });
  });

  it('does not believe a reset in the past or past the longest window', () => {
    expect(judgeAttempt(outcomeOf([rejected(NOW / 1000 - 10)]), limited, NOW, COOLDOWN)).toMatchObject({ untilMs: NOW + COOLDOWN });
    expect(judgeAttempt(outcomeOf([rejected(NOW / 1000 + 30 * 86_400)]), limited, NOW, COOLDOWN)).toMatchObject({ untilMs: NOW + COOLDOWN });
  });

  it('takes a refused login out, and leaves other failures alone', () => {
    expect(judgeAttempt(outcomeOf([synthetic]), new ApiError('claude_not_authenticated', 'x'), NOW, COOLDOWN).kind).toBe('logged_out');
    expect(judgeAttempt(outcomeOf([synthetic]), new ApiError('claude_overloaded', 'x'), NOW, COOLDOWN).kind).toBe('fine');
    expect(judgeAttempt(outcomeOf([spoken]), undefined, NOW, COOLDOWN).kind).toBe('fine');
  });

  it("does not take a result's words for the upstream's once the model has spoken (an app's prompt could make it say them)", () => {
    const wordy = { type: 'result', is_error: true, subtype: 'error_during_execution', result: 'rate limit reached, not logged in' };
    expect(judgeAttempt(outcomeOf([spoken, wordy]), limited, NOW, COOLDOWN).kind).toBe('fine');
    expect(judgeAttempt(outcomeOf([spoken, wordy]), new ApiError('claude_not_authenticated', 'x'), NOW, COOLDOWN).kind).toBe('fine');
    // The same words with nothing said by the model are the CLI's own: believed.
    expect(judgeAttempt(outcomeOf([synthetic, wordy]), limited, NOW, COOLDOWN).kind).toBe('rate_limited');
    // A 429 the API itself returned after the model had spoken (a later turn of a tool loop) still counts.
    const apiError = { type: 'result', is_error: true, api_error_status: 429, terminal_reason: 'api_error', result: 'API Error: 429' };
    expect(judgeAttempt(outcomeOf([spoken, apiError]), limited, NOW, COOLDOWN).kind).toBe('rate_limited');
  });

  it("leaves an account in rotation on a 403: the run's model or request, not the login", () => {
    const forbidden = { type: 'result', is_error: true, api_error_status: 403, terminal_reason: 'api_error', result: 'API Error: 403 permission_error' };
    expect(judgeAttempt(outcomeOf([synthetic, forbidden]), new ApiError('claude_not_authenticated', 'x'), NOW, COOLDOWN).kind).toBe('fine');
  });

  it('is not fooled by an overage: a rejected limit while overage pays is no reason to cool', () => {
    const overage = { type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt: NOW / 1000 + 60, isUsingOverage: true } };
    expect(judgeAttempt(outcomeOf([overage, spoken]), undefined, NOW, COOLDOWN).kind).toBe('fine');
  });
});

describe('whether another account may take the run', () => {
  const verdict = { kind: 'rate_limited' as const, untilMs: NOW + 1, reason: 'x' };

  it('yes when the model said nothing (the CLI reports an API error as a <synthetic> message)', () => {
    expect(worthAnotherAccount(outcomeOf([rejected(NOW / 1000 + 60), synthetic]), verdict)).toBe(true);
  });

  it('no once the model said something, a text delta or a message of its own', () => {
    expect(worthAnotherAccount(outcomeOf([spoken, synthetic]), verdict)).toBe(false);
    const delta = { type: 'stream_event', event: { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Hal' } } };
    expect(worthAnotherAccount(outcomeOf([delta]), verdict)).toBe(false);
  });

  it('no for a run the service stopped (timeout, cancel, shutdown), yes for one it stopped on a 401', () => {
    expect(worthAnotherAccount(outcomeOf([synthetic], { stoppedBy: 'timeout' }), verdict)).toBe(false);
    expect(worthAnotherAccount(outcomeOf([synthetic], { stoppedBy: 'cancelled' }), verdict)).toBe(false);
    expect(worthAnotherAccount(outcomeOf([], { stoppedBy: 'auth_failed' }), { kind: 'logged_out', reason: 'x' })).toBe(true);
  });

  it('no when the account was not the problem', () => {
    expect(worthAnotherAccount(outcomeOf([synthetic]), { kind: 'fine' })).toBe(false);
  });
});
