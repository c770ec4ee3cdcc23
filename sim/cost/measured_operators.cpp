// See measured_operators.hpp.
#include "sim/cost/measured_operators.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "sim/cost/operators.hpp"

namespace msao::cost {

MeasuredOperators efficiencies_from_timings(const ModelSpec& m, const Hardware& h,
                                            const std::vector<OperatorTimings>& timings) {
  struct Measured {
    std::string op;
    double flops, bytes, seconds;
  };
  std::vector<Measured> all;
  MeasuredOperators mo;
  for (const OperatorTimings& t : timings)
    for (const OpWork& op : iteration_ops(m, Parallelism{}, t.prefills, t.decode_contexts)) {
      auto it = t.seconds.find(op_name(op.op));
      if (it == t.seconds.end() || !(it->second > 0)) continue;
      all.push_back({op_name(op.op), op.flops, op.bytes, it->second});
      mo.flops = std::max(mo.flops, op.flops / it->second);
      mo.mem_bw_Bps = std::max(mo.mem_bw_Bps, op.bytes / it->second);
    }
  // Each measurement is evidence for the term that binds it at the device's rates.
  std::map<std::string, std::pair<double, double>> best;  // operator -> best FLOP/s, best bytes/s
  for (const Measured& x : all) {
    auto& [fl, bw] = best[x.op];
    if (x.flops / mo.flops >= x.bytes / mo.mem_bw_Bps) fl = std::max(fl, x.flops / x.seconds);
    else bw = std::max(bw, x.bytes / x.seconds);
  }
  auto fraction = [&](const std::string& op, double rate, double peak) {
    const double f = rate / peak;
    if (f > 1.0 || f < 1e-3) mo.clamped.push_back(op);
    return std::clamp(f, 1e-3, 1.0);
  };
  for (const auto& [op, rates] : best) {
    OpEfficiency e;
    if (rates.first > 0) e.compute = fraction(op, rates.first, h.flops);
    if (rates.second > 0) e.memory = fraction(op, rates.second, h.mem_bw);
    mo.operators[op] = e;
  }
  return mo;
}

std::string measured_profile_yaml(const MeasuredOperators& mo, const std::string& hardware, const std::string& device,
                                  const std::string& header) {
  std::ostringstream out;
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
  char buf[160];
  out << "calibration:\n";
  out << "  hardware: " << hardware << "\n";
  out << "  device: \"" << device << "\"  # measured on (msao validate refuses another)\n";
  std::snprintf(buf, sizeof buf, "  mem_bw_Bps: %.9g  # best bytes/s of any operator\n", mo.mem_bw_Bps);
  out << buf;
  std::snprintf(buf, sizeof buf, "  flops: %.9g  # best FLOP/s of any operator\n", mo.flops);
  out << buf;
  out << "  launch_overhead_s: 0  # an operator is a function call; its fixed cost is in its measured time\n";
  out << "operators:  # best fractions of " << hardware << "'s peak FLOP/s (compute) and bandwidth (memory)\n";
  for (const auto& [op, e] : mo.operators) {
    out << "  " << op << ": {";
    if (e.compute) {
      std::snprintf(buf, sizeof buf, "compute: %.9g", *e.compute);
      out << buf << (e.memory ? ", " : "");
    }
    if (e.memory) {
      std::snprintf(buf, sizeof buf, "memory: %.9g", *e.memory);
      out << buf;
    }
    out << "}\n";
  }
  return out.str();
}

}  // namespace msao::cost
