#include "sim/cost/op_efficiency.hpp"

#include "sim/cost/operators.hpp"

namespace msao::cost {

OpEfficiencies read_op_efficiencies(YamlSection& s) {
  OpEfficiencies out;
  YamlSection ops = s.child("operators", true);
  for (const std::string& name : operator_names()) {
    // Collectives and sends are timed by the interconnect, not by the device's rates.
    if (name == "all_reduce" || name == "pipeline_send") continue;
    if (!ops.has(name)) {
      ops.consume(name);  // known, so an unknown key's error lists it
      continue;
    }
    YamlSection o = ops.child(name);
    OpEfficiency e;
    if (o.has("compute")) e.compute = o.num("compute", 1e-3, 1.0);
    if (o.has("memory")) e.memory = o.num("memory", 1e-3, 1.0);
    if (o.has("fixed")) e.fixed_s = o.quantity("fixed", "time", std::nullopt, 0, 1.0);
    o.finish();
    out[name] = e;
  }
  ops.finish();
  return out;
}

}  // namespace msao::cost
