// Per-operator efficiencies from measured operator times: how `msao
// validate` turns its microbenchmarks (each operator of the small decoder,
// kernels/small_decoder.hpp, timed alone at the shape it has in an
// iteration) into a profile the cost model reads (`operators:` and
// `calibration:`, traces/profiles/README.md).
//
// Rule: an operator's work in a measured iteration (FLOPs, bytes) is the
// simulator's own, iteration_ops(). The device's rates (the profile's
// calibration) are the best FLOP/s and the best bytes/s any operator
// reached. Each measurement is evidence for the roofline term that binds it
// at those rates: compute when FLOPs / best FLOP/s >= bytes / best bytes/s,
// else memory. An operator's compute efficiency is the best FLOP rate among
// its compute-bound measurements, as a fraction of the hardware entry's
// peak; its memory efficiency likewise; a term with no evidence keeps the
// device's rate. The resulting roofline is an envelope of the measurements:
// at a measured shape it predicts at most the measured time, and exactly it
// at the shape that gave the operator's best rate. (So a GEMM is timed at
// its prefill rate where FLOPs bind, and attention, whose FLOPs grow with
// query-key pairs and bytes with cached tokens, by its FLOPs on a CPU.)
//
// Linear layers, when timed alone at several token counts M (GemmTiming),
// get a `gemm:` table instead (one row per M, operator profiling as Vidur
// does, arXiv 2405.05465): on a CPU a one-token GEMM is a matrix-vector
// product that runs far below the per-byte rate of a four-token one, which
// no single efficiency per operator captures. The rows come from the
// layer's own projections (qkv, o_proj, ffn) only; the LM head, a larger
// matrix, is left to the table, so its prediction tests it.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/cost/op_efficiency.hpp"
#include "sim/cost/prefill_chunk.hpp"

namespace msao::cost {

// One measured iteration shape and the seconds each operator took in it
// (over all layers), by operator name (operator_names()).
struct OperatorTimings {
  std::vector<PrefillChunk> prefills;
  std::vector<int> decode_contexts;
  std::map<std::string, double> seconds;
};

// The linear layers of a layer (qkv, o_proj, ffn: the operators with a
// GEMM M) timed alone on `tokens` tokens, seconds over all layers by name.
struct GemmTiming {
  int tokens = 0;
  std::map<std::string, double> seconds;
};

struct GemmRow {
  double tokens = 0, memory = 0, compute = 0;  // fractions of the hardware entry's peaks
  double seconds = 0;                          // the measured projections' time, summed
};

struct MeasuredOperators {
  OpEfficiencies operators;          // fractions of the hardware entry's peaks
  double flops = 0, mem_bw_Bps = 0;  // the best rates any operator reached (the profile's calibration)
  // Operators whose best rate fell outside the (1e-3, 1] of peak a profile
  // holds, and were clamped to it (their predictions are off by that much).
  std::vector<std::string> clamped;
  // From GemmTiming, by increasing tokens: in each row the term that binds
  // gives the measured time of its summed projections and the other does
  // not bind (max(FLOPs / (compute * peak), bytes / (memory * peak)) =
  // seconds), so the table reproduces every measurement and is
  // interpolated between them.
  std::vector<GemmRow> gemm;
  std::vector<std::string> iterations;  // the calibration iterations, recorded in the profile
};

// Operators with no measured time keep no figure (the calibration rates
// apply to them). Launch costs are taken as zero: on a CPU an operator is a
// function call, whose fixed cost is inside its measured time. With `gemm`
// timings the linear layers get the table and no figure of their own, and
// the LM head's times are not used at all.
MeasuredOperators efficiencies_from_timings(const ModelSpec& m, const Hardware& h,
                                            const std::vector<OperatorTimings>& timings,
                                            const std::vector<GemmTiming>& gemm = {});

// The profile text (`calibration:` with launch_overhead_s 0 and the
// calibration iterations, `operators:` and `gemm:`), for load_profile;
// `header` becomes its comment lines.
std::string measured_profile_yaml(const MeasuredOperators& mo, const std::string& hardware, const std::string& device,
                                  const std::string& header);

}  // namespace msao::cost
