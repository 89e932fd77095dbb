/*
 * The cheapest stand-in for `claude -p --output-format stream-json --verbose`,
 * as a native binary: it execs in well under a millisecond, so the bench
 * measures the service rather than a shell. Reads the prompt from stdin to
 * EOF, sleeps BENCH_SLEEP_SECS when set, prints an init line and a result
 * line. bench/instant-claude.sh is the same in sh, used when no C compiler is
 * present. Used by the benchmark only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char OUTPUT[] =
    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"bench\",\"model\":\"claude-bench\"}\n"
    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"```json\\n{\\\"ok\\\":true}\\n```\","
    "\"stop_reason\":\"end_turn\",\"session_id\":\"bench\",\"total_cost_usd\":0,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}\n";

int main(void) {
  char buffer[65536];
  while (read(0, buffer, sizeof buffer) > 0) {
  }
  const char *sleep_secs = getenv("BENCH_SLEEP_SECS");
  if (sleep_secs && *sleep_secs) {
    double secs = atof(sleep_secs);
    struct timespec duration = {(time_t)secs, (long)((secs - (time_t)secs) * 1e9)};
    nanosleep(&duration, NULL);
  }
  size_t written = 0, length = sizeof OUTPUT - 1;
  while (written < length) {
    ssize_t n = write(1, OUTPUT + written, length - written);
    if (n <= 0) return 1;
    written += (size_t)n;
  }
  return 0;
}
