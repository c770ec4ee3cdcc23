// Wall-clock timing for profile and validate (the benchmarks use Google
// Benchmark instead): median of repeated runs, each run long enough that
// the clock's resolution does not matter.
#pragma once
#include <functional>

namespace msao::kernels {

// Median seconds per call of fn over `reps` samples; each sample repeats fn
// until at least min_sample_s has passed (after one warm-up call).
double median_seconds_per_call(const std::function<void()>& fn, int reps = 7, double min_sample_s = 0.02);

}  // namespace msao::kernels
