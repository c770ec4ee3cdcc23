// Scenario files: the loader with all its validation (catalog look-ups,
// network traces and profiles it names, the cloud memory check), then the
// workload it describes, materialised as `msao run` would (capped in size),
// then a short simulation of it with the engine's invariants checked.
// The input sits in platforms/scenarios/ so bundled references resolve.
#include "fuzz/support/bounded_simulation.hpp"
#include "fuzz/support/bounded_workload.hpp"
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "platforms/scenarios/fuzz-input.yaml");
  return msao::fuzz::expect_input_error([&] {
    const msao::Scenario sc = msao::load_scenario(path);
    msao::fuzz::materialize_bounded(sc);
    msao::fuzz::simulate_bounded(sc);
  });
}
