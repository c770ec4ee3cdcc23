// Timing of the small decoder (small_decoder.hpp) for `msao validate`,
// built to hold up on a shared, noisy machine:
// - thread CPU time (CLOCK_THREAD_CPUTIME_ID) by default, not wall time:
//   the time the one computing thread actually ran, so other processes
//   taking the core away do not count (they still cost some cache and
//   memory bandwidth); wall time on request, to compare;
// - one untimed warm-up round (page faults, caches, lazy initialisation);
// - rounds that interleave everything measured: each round runs, for every
//   case, each of its operators alone and then the whole iteration, so load
//   that comes and goes touches calibration and validation alike, and each
//   operator runs after other work has been through the caches, as it does
//   inside an iteration;
// - every round's time kept, for the caller to take its statistic over
//   them (`msao validate` takes the fastest).
// The kernels are single-threaded, as the cost model's CPU rates assume,
// and the thread is pinned to the core it started the timing on.
#pragma once
#include <array>
#include <iosfwd>
#include <string>
#include <vector>

#include "kernels/small_decoder.hpp"

namespace msao::kernels {

struct TimedCase {
  std::string name;
  std::vector<SeqStep> steps;  // the iteration (sequences in plan order)
  size_t max_context = 0;      // KV positions per sequence
  bool per_op = false;         // also time each operator alone
  std::vector<DecoderOp> only;  // with per_op: time only these alone (empty: every operator it has)
  bool whole = true;            // time the whole iteration (false: it runs in the warm-up only)
  // Filled by time_cases: seconds per round.
  std::vector<double> whole_s;
  std::array<std::vector<double>, kNumDecoderOps> ops;
};

enum class TimingClock { ThreadCpu, Wall };
// Seconds of thread CPU time since an arbitrary origin.
double thread_cpu_seconds();
double median_of(std::vector<double> v);

// Runs `rounds` timed rounds (after one warm-up) over all cases; logs one
// line per round.
void time_cases(const Backend& be, const DecoderWeights& w, std::vector<TimedCase>& cases, int rounds,
                TimingClock clock, std::ostream& log);

}  // namespace msao::kernels
