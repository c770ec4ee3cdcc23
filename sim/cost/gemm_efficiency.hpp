// GemmEfficiency: how close a linear layer (qkv, o_proj, FFN, LM head) gets
// to a device's peaks as a function of the tokens M it multiplies at once.
// At small M a GEMM is a matrix-vector product that streams its weights
// (a fraction of peak bandwidth); at large M it is compute-bound at a
// plateau of peak FLOP/s; in between neither is reached. The table comes
// from profiled linear-layer times (hardware catalog `gemm:`, each row
// cited there) and is interpolated in log2(M), held beyond its ends.
#pragma once
#include "sim/config/yaml_section.hpp"
#include "sim/cost/piecewise.hpp"

namespace msao::cost {

struct GemmEfficiency {
  PiecewiseLinear memory, compute;  // fractions of peak bandwidth and FLOP/s, by M

  bool empty() const { return memory.empty(); }
};

// Reads the optional `gemm:` list of {tokens, memory, compute} rows.
GemmEfficiency read_gemm_efficiency(YamlSection& s);

}  // namespace msao::cost
