// A decoder small enough that the cost-model tests check every figure by
// hand: 2 layers, h 64, 4 heads of 16 (2 KV heads), SwiGLU FFN 128, vocab
// 1000, fp16.
#pragma once
#include <string>

#include "tests/test_cost_files.hpp"

namespace msao::test {

inline std::string tiny_model_path() {
  return write_temp_file("tiny.yaml", R"(name: tiny
precision: fp16
kernels_per_layer: 14
decoder: {layers: 2, hidden: 64, ffn: 128, heads: 4, kv_heads: 2, gated_mlp: true, vocab: 1000, max_context: 4096}
)");
}

}  // namespace msao::test
