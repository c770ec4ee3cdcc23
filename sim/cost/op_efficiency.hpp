// OpEfficiency: the achievable fractions of a device's peak FLOP rate and
// memory bandwidth for one operator of an iteration (sim/cost/operators.hpp).
// A hardware catalog entry gives published figures under `operators:`, a
// profile may override any of them (its measurements on one machine); an
// operator with no figure uses the device's eff_compute / eff_memory.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "sim/config/yaml_section.hpp"

namespace msao::cost {

struct OpEfficiency {
  std::optional<double> compute, memory;  // fractions of peak, (0, 1]
  // Seconds each call of the kernel takes on top of its roofline time, with
  // or without CUDA graphs: a kernel whose work is split and then reduced
  // (split-KV decode attention) cannot finish faster than its two passes
  // and their tail, however little it reads.
  std::optional<double> fixed_s;
};
using OpEfficiencies = std::map<std::string, OpEfficiency>;

// Reads the optional `operators:` map of `s`: keys are operator names
// (interconnect operators excluded), each {compute, memory}, both optional.
OpEfficiencies read_op_efficiencies(YamlSection& s);

}  // namespace msao::cost
