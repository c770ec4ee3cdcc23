// Measured profiles (traces/profiles/README.md): the reader, then stage
// times of every stage it carries at and beyond its measured range, which
// must stay finite and non-negative.
#include <cmath>
#include <cstdlib>

#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"
#include "sim/cost/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "fuzz-input.yaml");
  return msao::fuzz::expect_input_error([&] {
    const msao::cost::Profile p = msao::cost::load_profile(path);
    const msao::cost::RooflineFn roofline = [](double x, int batch) { return 1e-4 + 1e-6 * x * batch; };
    for (const auto& [stage, table] : p.stages)
      for (double x : {0.0, 1.0, 300.0, 1e6})
        for (int batch : {1, 3, 256}) {
          const double s = table.seconds(x, batch, roofline);
          if (!std::isfinite(s) || s < 0) std::abort();
        }
  });
}
