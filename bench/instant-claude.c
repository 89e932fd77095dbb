/*
 * The cheapest stand-in for `claude -p --output-format stream-json --verbose`,
 * as a native binary: it execs in well under a millisecond, so the bench
 * measures the service rather than a shell. Reads the prompt from stdin to
 * EOF, sleeps BENCH_SLEEP_SECS when set, prints an init line and a result
 * line. With --include-partial-messages and BENCH_DELTAS=N, it first prints N
 * text deltas BENCH_DELTA_GAP_MS apart, each text the CLOCK_MONOTONIC time (ns)
 * it was printed at: the bench's client, on the same clock, measures how long
 * each took to reach it. bench/instant-claude.sh is the same in sh, used when no C compiler is
 * present. Used by the benchmark only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>

static const char OUTPUT[] =
    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"bench\",\"model\":\"claude-bench\"}\n"
    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"```json\\n{\\\"ok\\\":true}\\n```\","
    "\"stop_reason\":\"end_turn\",\"session_id\":\"bench\",\"total_cost_usd\":0,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}\n";

static void write_all(const char *text, size_t length) {
  size_t written = 0;
  while (written < length) {
    ssize_t n = write(1, text + written, length - written);
    if (n <= 0) exit(1);
    written += (size_t)n;
  }
}

static void print_deltas(int count, long gap_ms) {
  for (int i = 0; i < count; i++) {
    if (gap_ms > 0) {
      struct timespec gap = {gap_ms / 1000, (gap_ms % 1000) * 1000000L};
      nanosleep(&gap, NULL);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    char line[256];
    int length = snprintf(line, sizeof line,
                          "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_delta\",\"index\":0,"
                          "\"delta\":{\"type\":\"text_delta\",\"text\":\"%lld\"}}}\n",
                          (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
    write_all(line, (size_t)length);
  }
}

int main(int argc, char **argv) {
  char buffer[65536];
  int partial = 0;
  for (int i = 1; i < argc; i++) if (strcmp(argv[i], "--include-partial-messages") == 0) partial = 1;
  while (read(0, buffer, sizeof buffer) > 0) {
  }
  const char *sleep_secs = getenv("BENCH_SLEEP_SECS");
  if (sleep_secs && *sleep_secs) {
    double secs = atof(sleep_secs);
    struct timespec duration = {(time_t)secs, (long)((secs - (time_t)secs) * 1e9)};
    nanosleep(&duration, NULL);
  }
  const char *deltas = getenv("BENCH_DELTAS");
  if (partial && deltas && *deltas) {
    const char *gap = getenv("BENCH_DELTA_GAP_MS");
    print_deltas(atoi(deltas), gap ? atol(gap) : 0);
  }
  write_all(OUTPUT, sizeof OUTPUT - 1);
  return 0;
}
