// GemmEfficiency: how close a linear layer (qkv, o_proj, FFN, LM head) gets
// to a device's peaks as a function of the tokens M it multiplies at once.
// At small M a GEMM is a matrix-vector product that streams its weights
// (a fraction of peak bandwidth); at large M it is compute-bound at a
// plateau of peak FLOP/s; in between neither is reached. The table comes
// from profiled linear-layer times (hardware catalog `gemm:`, each row
// cited there, or a measured profile's `gemm:`, traces/profiles/README.md)
// and is interpolated in log2(M), held beyond its ends.
#pragma once
#include <utility>
#include <vector>

#include "sim/config/yaml_section.hpp"
#include "sim/cost/piecewise.hpp"

namespace msao::cost {

struct GemmEfficiency {
  PiecewiseLinear memory, compute;  // fractions of peak bandwidth and FLOP/s, by M

  bool empty() const { return memory.empty(); }
  // {memory, compute} at M tokens: looked up for whole M up to the last
  // row (every iteration costs its linear layers at its M, millions of
  // times a run), interpolated otherwise; the same values either way.
  std::pair<double, double> at(double m) const {
    const size_t i = size_t(m);
    if (double(i) == m && i < by_tokens.size()) return by_tokens[i];
    return {memory(m), compute(m)};
  }
  std::vector<std::pair<double, double>> by_tokens;  // index M (0 unused), filled by read_gemm_efficiency
};

// Reads the optional `gemm:` list of {tokens, memory, compute} rows.
GemmEfficiency read_gemm_efficiency(YamlSection& s);

}  // namespace msao::cost
