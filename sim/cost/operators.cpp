#include "sim/cost/operators.hpp"

#include <algorithm>

namespace msao::cost {

const std::vector<std::string>& operator_names() {
  static const std::vector<std::string> names{"norm",         "qkv",      "rotary",        "attention_prefill",
                                              "attention_decode", "o_proj", "residual", "ffn",
                                              "activation",   "all_reduce", "lm_head",     "sampling",
                                              "pipeline_send", "kv_write"};
  return names;
}

std::vector<OpWork> iteration_ops(const ModelSpec& m, const Parallelism& par, const std::vector<PrefillChunk>& prefills,
                                  const std::vector<int>& decode_contexts) {
  std::vector<OpWork> ops;
  ops.reserve(kNumOps);
  for_each_op(m, par, prefills, decode_contexts, [&](const OpWork& w) { ops.push_back(w); });
  return ops;
}

}  // namespace msao::cost
