#!/bin/sh
# The cheapest stand-in for `claude -p --output-format stream-json --verbose`:
# reads the prompt from stdin, optionally sleeps BENCH_SLEEP_SECS, prints an
# init line and a result line. Used by the benchmark only.
# Drain stdin with a builtin: a `cat` would be one more fork per run.
while IFS= read -r _line; do :; done
if [ -n "$BENCH_SLEEP_SECS" ]; then sleep "$BENCH_SLEEP_SECS"; fi
printf '%s\n' '{"type":"system","subtype":"init","session_id":"bench","model":"claude-bench"}'
printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"```json\n{\"ok\":true}\n```","stop_reason":"end_turn","session_id":"bench","total_cost_usd":0,"usage":{"input_tokens":1,"output_tokens":1}}'
