// `msao validate` on a CPU: a few layers of a 0.5B-class decoder
// (platforms/models/qwen2.5-0.5b.yaml, random weights) run end to end with
// the kernel library (kernels/small_decoder.hpp), against the simulator's
// per-operator prediction of the same iterations (CostModel::batch_iteration).
// The profile the prediction uses is measured here first: each operator
// timed alone in the calibration cases (one decode step, one prefill chunk)
// gives its efficiencies, and the layer's linear layers (qkv, o_proj, ffn)
// timed alone at several token counts M give a `gemm:` table of them by M
// (sim/cost/measured_operators.hpp); or it is read from --profile (then the
// cases of the shapes it records as its calibration iterations are
// calibration, the rest predicted). More iterations that were not measured
// for the profile (the chunk and the decodes in one mixed iteration,
// decodes at twice the context, a half chunk after a cached prefix, and far
// from the calibration shapes a lone decode, a 64-token chunk, decodes at a
// 4k context) and the LM head alone (a larger matrix than any in the table)
// check that the profile predicts beyond what it was measured on; the error
// statistics cover those predicted cases only.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace msao::cli {

struct DecoderValidationOptions {
  int layers = 4, prefill_chunk = 256, decode_batch = 4, context = 512, rounds = 5;
  bool wall_clock = false;  // time by wall clock instead of the thread's CPU time
  std::string profile;      // read instead of measured (its calibration.device already checked)
  std::string profile_out;  // where to write the measured profile (empty: a temporary file)
  static DecoderValidationOptions quick();  // a few seconds: 1 layer, small shapes, 3 rounds
};

struct ValidationCase {
  std::string name, role, shape;  // role: "calibration" or "predicted"
  double predicted_s = 0, measured_s = 0;
  double error() const { return (predicted_s - measured_s) / measured_s; }
};

struct DecoderValidation {
  std::vector<ValidationCase> cases;
  double median_abs_error = 0, worst_abs_error = 0;  // over the predicted cases only
};

// Prints the rounds, the profile, one `case` row per iteration and one `op`
// row per operator of it, the cases again by role (`sum` rows: predicted,
// then calibration), then the median and worst |error| over the predicted
// cases (format: docs/cost-model.md).
DecoderValidation validate_decoder(const DecoderValidationOptions& o, std::ostream& out);

}  // namespace msao::cli
