#include "sim/cost/gemm_efficiency.hpp"

#include <algorithm>
#include <string>

namespace msao::cost {

GemmEfficiency read_gemm_efficiency(YamlSection& s) {
  GemmEfficiency g;
  if (!s.has("gemm")) return g;
  for (YamlSection& row : s.list("gemm")) {
    const double m = row.num("tokens", 1, 1e7);
    if (!g.memory.empty() && m <= g.memory.points.back().first)
      row.fail("tokens", std::to_string(m), "rows in strictly increasing tokens (the previous row has " +
                                                std::to_string(g.memory.points.back().first) + ")");
    g.memory.points.emplace_back(m, row.num("memory", 1e-3, 1.0));
    g.compute.points.emplace_back(m, row.num("compute", 1e-3, 1.0));
    row.finish();
  }
  if (g.memory.empty()) s.fail("gemm", "an empty list", "at least one {tokens, memory, compute} row");
  g.memory.log_x = g.compute.log_x = true;
  // Whole M up to the last row (at most 16k rows); beyond it the values are held.
  const size_t last = std::min<size_t>(size_t(g.memory.points.back().first), 16384);
  g.by_tokens.resize(last + 1);
  for (size_t m = 1; m <= last; ++m) g.by_tokens[m] = {g.memory(double(m)), g.compute(double(m))};
  return g;
}

}  // namespace msao::cost
