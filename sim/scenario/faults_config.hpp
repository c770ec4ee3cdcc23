// platform.faults: link outages, cloud GPU failures, and the timeout and
// retries of cloud interactions (docs/faults.md). Every key is optional;
// without the section nothing fails and nothing times out.
#pragma once
#include "sim/config/yaml_section.hpp"
#include "sim/engine/fault_spec.hpp"

namespace msao {

FaultSpec parse_faults(YamlSection faults);

}  // namespace msao
