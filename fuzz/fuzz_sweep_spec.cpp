// Sweep files: the reader, the expansion into runs and the load check of
// their overrides against the base scenario, all that `msao sweep` does
// before forking. The input sits beside the bundled scenarios, so
// `base: paper.yaml` resolves.
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"
#include "sim/dse/sweep_runner.hpp"
#include "sim/dse/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "platforms/scenarios/fuzz-sweep.yaml");
  return msao::fuzz::expect_input_error(
      [&] { msao::dse::validate_plan(msao::dse::plan_from_spec(msao::dse::load_sweep_spec(path))); });
}
