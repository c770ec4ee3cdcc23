// Scenario files: the loader with all its validation (catalog look-ups,
// network traces and profiles it names, the cloud memory check), then the
// workload it describes, materialised as `msao run` would (capped in size).
// The input sits in platforms/scenarios/ so bundled references resolve.
#include "fuzz/support/bounded_workload.hpp"
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "platforms/scenarios/fuzz-input.yaml");
  return msao::fuzz::expect_input_error([&] { msao::fuzz::materialize_bounded(msao::load_scenario(path)); });
}
