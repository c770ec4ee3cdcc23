// `msao cost ... --prefill-chunk N --decode-batch B [--context C]`: one
// continuous-batching iteration (a chunk of N prompt tokens with B decode
// steps at context C) broken down by operator, so each operator's roofline,
// launches and all-reduce time can be checked by hand (docs/cost-model.md).
#pragma once
#include <nlohmann/json.hpp>

#include "sim/cost/cost_model.hpp"

namespace msao::cli {

// One JSON document on one line of stdout (`msao cost --json`).
void print_json(const nlohmann::ordered_json& j);

int print_cost_iteration(const cost::CostModel& cm, int prefill_chunk, int decode_batch, int context, bool json);

}  // namespace msao::cli
