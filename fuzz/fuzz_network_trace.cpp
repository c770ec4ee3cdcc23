// Network traces: the reader, then what the engine derives from an accepted
// trace: the SimGrid profile texts, samples and the latency split. An
// accepted trace that breaks those is a finding too (a period of 1e-300 s
// once hung SimGrid), so the profile texts are checked against what SimGrid's
// ProfileBuilder::from_string needs. (It is not called here: SimGrid keeps
// every profile in a global registry for the life of the process.)
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"
#include "workloads/network_trace.hpp"

namespace {

// "t value" lines: times from 0, strictly increasing, before the loop's end;
// values finite and above `min_value`.
void check_profile(const std::string& text, double period, double min_value) {
  std::istringstream in(text);
  double t = 0, v = 0, last = -1;
  size_t lines = 0;
  while (in >> t >> v) {
    if (!(t > last) || (lines == 0 && t != 0) || !std::isfinite(v) || !(v > min_value)) std::abort();
    last = t;
    ++lines;
  }
  if (lines == 0 || !in.eof() || (period != 0 && !(period > last && period >= msao::kMinNetworkTraceStep_s))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "fuzz-input.csv");
  return msao::fuzz::expect_input_error([&] {
    const msao::NetworkTrace t = msao::load_network_trace(path);
    const double period = msao::simgrid_profile_periodicity(t);
    check_profile(msao::simgrid_bandwidth_profile(t), period, 0);
    check_profile(msao::simgrid_latency_profile(t), period, -1e-300);
    const double end = t.t_s.back() + t.period_s;
    for (double at : {0.0, end / 3, end, 2.5 * end})
      if (!(msao::sample_at(t, at).bandwidth_Bps > 0) || !(msao::extra_latency_s(t, at) >= 0)) std::abort();
    if (!(msao::latency_floor_s(t) > 0)) std::abort();
  });
}
