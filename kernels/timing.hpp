// Wall-clock timing for profile and validate (the benchmarks use Google
// Benchmark instead): the best of repeated samples, each long enough that
// the clock's resolution does not matter. Best, not median: on a shared
// machine other processes only ever slow a sample down (they compete for
// cores and memory bandwidth), and the profile describes the machine itself.
#pragma once
#include <functional>

namespace msao::kernels {

// Fewest seconds per call of fn over `reps` samples; each sample repeats fn
// until at least min_sample_s has passed (after one warm-up call).
double best_seconds_per_call(const std::function<void()>& fn, int reps = 7, double min_sample_s = 0.02);

}  // namespace msao::kernels
