// --seed N on `msao run` and `msao check`: range-checked, then applied as
// the last override, run.seed=N.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/config/input_error.hpp"

namespace msao::cli {

inline std::vector<std::string> with_seed(std::vector<std::string> sets, const std::optional<long long>& seed) {
  if (seed) {
    if (*seed < 0 || *seed > (1LL << 62))
      throw InputError("command line", 0, "--seed", std::to_string(*seed), "a seed in [0, 2^62]");
    sets.push_back("run.seed=" + std::to_string(*seed));
  }
  return sets;
}

}  // namespace msao::cli
