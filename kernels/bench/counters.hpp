// The counters every kernel benchmark reports, CPU or CUDA: bytes/s, FLOP/s
// and bandwidth as a fraction of the triad measured on the same device.
#pragma once
#include <benchmark/benchmark.h>

namespace msao::kernels {

inline void set_rate_counters(benchmark::State& st, double bytes, double flops, double triad_Bps) {
  using C = benchmark::Counter;
  const double it = double(st.iterations());
  st.counters["B/s"] = C(bytes * it, C::kIsRate);
  st.counters["FLOP/s"] = C(flops * it, C::kIsRate);
  st.counters["frac_triad"] = C(bytes * it / triad_Bps, C::kIsRate);
}

}  // namespace msao::kernels
