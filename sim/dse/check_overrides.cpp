#include "sim/dse/check_overrides.hpp"

#include "sim/config/input_error.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao::dse {

void check_overrides(const std::string& source, const std::string& base, const std::vector<std::string>& overrides) {
  try {
    load_scenario(base, overrides);
  } catch (const InputError& e) {
    if (e.file() == source) throw;
    throw InputError(source, 0, e.key(), "a value the base scenario rejects (" + std::string(e.what()) + ")",
                     "values " + base + " accepts");
  }
}

}  // namespace msao::dse
