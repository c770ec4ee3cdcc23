// platform.faults: link outages, cloud GPU failures, and the timeout and
// retries of cloud interactions (docs/faults.md). Every key is optional;
// without the section nothing fails and nothing times out.
#pragma once
#include "sim/config/yaml_section.hpp"
#include "sim/engine/fault_spec.hpp"

namespace msao {

// The most a request may wait between its tries in all, backoff x
// (2^retries - 1): about 11.6 days, far beyond any retry policy worth
// simulating, and small enough that simulated times keep sub-microsecond
// resolution in a double (docs/faults.md).
inline constexpr double kMaxTotalBackoff_s = 1e6;

FaultSpec parse_faults(YamlSection faults);

}  // namespace msao
