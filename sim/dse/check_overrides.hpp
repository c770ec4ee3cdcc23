// check_overrides: loads the base scenario with a sweep's or tune's
// overrides, so bad values stop the command before anything runs. A value
// the base scenario rejects came from the sweep or tune file, not from the
// base file the scenario reader names, so the error is re-attributed to
// `source` (the sweep or tune file) and names both.
#pragma once
#include <string>
#include <vector>

namespace msao::dse {

void check_overrides(const std::string& source, const std::string& base, const std::vector<std::string>& overrides);

}  // namespace msao::dse
