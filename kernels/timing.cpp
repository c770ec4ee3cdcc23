// See timing.hpp.
#include "kernels/timing.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

namespace msao::kernels {

double best_seconds_per_call(const std::function<void()>& fn, int reps, double min_sample_s) {
  using clock = std::chrono::steady_clock;
  fn();  // warm-up: page faults, caches, lazy init
  std::vector<double> samples;
  for (int r = 0; r < reps; ++r) {
    long calls = 0;
    const auto t0 = clock::now();
    double el = 0;
    do {
      fn();
      ++calls;
      el = std::chrono::duration<double>(clock::now() - t0).count();
    } while (el < min_sample_s);
    samples.push_back(el / double(calls));
  }
  return *std::min_element(samples.begin(), samples.end());
}

}  // namespace msao::kernels
