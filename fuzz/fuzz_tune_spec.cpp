// Tune files: the reader and the load check `msao tune` makes before
// forking (the overrides at both ends of every range, and the reference's).
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"
#include "sim/dse/check_overrides.hpp"
#include "sim/dse/tune_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "platforms/scenarios/fuzz-tune.yaml");
  return msao::fuzz::expect_input_error([&] {
    const msao::dse::TuneSpec spec = msao::dse::load_tune_spec(path);
    for (double end : {0.0, 1.0})
      msao::dse::check_overrides(path, spec.base, spec.overrides_at(std::vector<double>(spec.params.size(), end)));
    if (spec.has_reference) msao::dse::check_overrides(path, spec.base, spec.reference_overrides());
  });
}
