// blame_override: a value given with `--set key=value` has no line in the
// scenario file, so an error about it would point at the file (and a
// line of an enclosing section). This names the --set argument instead.
#pragma once
#include <string>
#include <vector>

#include "sim/config/input_error.hpp"

namespace msao {

// If e is about the scenario file `path` and its key was set by one of
// `overrides` (that very key, or a map holding it, or an unknown key that
// begins the override's own key, as "runn" in runn.seed; the last such wins),
// throws the same error attributed to "--set ASSIGNMENT". Returns otherwise.
void blame_override(const InputError& e, const std::string& path, const std::vector<std::string>& overrides);

}  // namespace msao
