// See measured_operators.hpp.
#include "sim/cost/measured_operators.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "sim/cost/operators.hpp"

namespace msao::cost {

namespace {

// One row per token count (the first timing of a count), increasing.
std::vector<GemmRow> gemm_rows(const ModelSpec& m, const Hardware& h, const std::vector<GemmTiming>& timings,
                               std::vector<std::string>& clamped) {
  std::map<int, GemmRow> rows;
  for (const GemmTiming& g : timings) {
    if (g.tokens < 1 || rows.count(g.tokens)) continue;
    double flops = 0, bytes = 0, seconds = 0;
    // A chunk that samples nothing: its linear layers are the layer's projections at M = tokens.
    for (const OpWork& op : iteration_ops(m, Parallelism{}, {{g.tokens, 0, false}}, {})) {
      auto it = g.seconds.find(op_name(op.op));
      if (op.gemm_tokens <= 0 || it == g.seconds.end() || !(it->second > 0)) continue;
      flops += op.flops;
      bytes += op.bytes;
      seconds += it->second;
    }
    if (!(seconds > 0)) continue;
    rows[g.tokens] = {double(g.tokens), bytes / seconds / h.mem_bw, flops / seconds / h.flops, seconds};
  }
  // Each row counts for the term that binds it at the best rates the linear
  // layers reached (as an operator's measurements do in
  // efficiencies_from_timings): memory where it ran nearer its best byte
  // rate than its best FLOP rate. The other column takes that best figure,
  // which does not bind there (as in the hardware catalog's `gemm:`
  // tables), so that an operator with more activation bytes a FLOP than
  // the summed projections (a narrow qkv at 256 tokens) is not taken as
  // memory-bound where they were not.
  double best_memory = 0, best_compute = 0;
  for (const auto& [tokens, r] : rows) {
    best_memory = std::max(best_memory, r.memory);
    best_compute = std::max(best_compute, r.compute);
  }
  std::vector<GemmRow> out;
  for (auto [tokens, r] : rows) {
    if (r.memory / best_memory >= r.compute / best_compute) r.compute = best_compute;
    else r.memory = best_memory;
    if (std::max(r.memory, r.compute) > 1 || std::min(r.memory, r.compute) < 1e-3)
      clamped.push_back("gemm at " + std::to_string(tokens) + " tokens");
    r.memory = std::clamp(r.memory, 1e-3, 1.0);
    r.compute = std::clamp(r.compute, 1e-3, 1.0);
    out.push_back(r);
  }
  return out;
}

}  // namespace

MeasuredOperators efficiencies_from_timings(const ModelSpec& m, const Hardware& h,
                                            const std::vector<OperatorTimings>& timings,
                                            const std::vector<GemmTiming>& gemm) {
  struct Measured {
    std::string op;
    double flops, bytes, seconds;
  };
  std::vector<Measured> all;
  MeasuredOperators mo;
  mo.gemm = gemm_rows(m, h, gemm, mo.clamped);
  const bool table = !mo.gemm.empty();
  for (const OperatorTimings& t : timings)
    for (const OpWork& op : iteration_ops(m, Parallelism{}, t.prefills, t.decode_contexts)) {
      auto it = t.seconds.find(op_name(op.op));
      if (it == t.seconds.end() || !(it->second > 0)) continue;
      // The LM head is predicted from the table, so none of its times set anything.
      if (table && op.op == Op::LmHead) continue;
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
    // With a table a linear layer's rates follow its M (the profile's `gemm:`).
    if (table && (op == op_name(Op::Qkv) || op == op_name(Op::OProj) || op == op_name(Op::Ffn))) continue;
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
  if (!mo.iterations.empty()) {
    out << "  iterations: [";
    for (size_t i = 0; i < mo.iterations.size(); ++i) out << (i ? ", " : "") << "\"" << mo.iterations[i] << "\"";
    out << "]  # whose operators were timed for this profile\n";
  }
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
  if (!mo.gemm.empty()) {
    out << "gemm:  # linear layers by tokens M, fractions of " << hardware
        << "'s peaks (the binding term gives the measured time)\n";
    for (const GemmRow& r : mo.gemm) {
      std::snprintf(buf, sizeof buf, "  - {tokens: %.0f, memory: %.9g, compute: %.9g}\n", r.tokens, r.memory,
                    r.compute);
      out << buf;
    }
  }
  return out.str();
}

}  // namespace msao::cost
