// A small decoder-only transformer run end to end with this library's
// kernels, for `msao validate`: Qwen2-style layers (RMSNorm, fused QKV,
// rotary embedding, grouped-query attention over an fp16 KV cache, O
// projection, residual adds, SwiGLU FFN), then a final RMSNorm, the tied LM
// head and greedy sampling. Weights are random fp16 (their values do not
// change the work); activations are fp32.
//
// One iteration processes a continuous-batching step: prefill chunks (n
// tokens after c cached) and decode steps (one token after c cached). Its
// steps are grouped into the operators the simulator costs
// (sim/cost/operators.hpp, spelled the same), so each operator can also be
// run alone over all layers (run_op) and timed at exactly the shape it has
// inside the iteration.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "kernels/buffer.hpp"

namespace msao::kernels {

struct DecoderConfig {
  size_t layers = 2, hidden = 896, heads = 14, kv_heads = 2, ffn = 4864, vocab = 151936;
  float rope_theta = 1e6f, norm_eps = 1e-6f;
  size_t head_dim() const { return hidden / heads; }
  size_t kv_dim() const { return kv_heads * head_dim(); }
};

// Operators of an iteration, in the simulator's names and order.
enum class DecoderOp : int {
  Norm, Qkv, Rotary, AttentionPrefill, AttentionDecode, OProj, Residual, Ffn, Activation, LmHead, Sampling
};
inline constexpr int kNumDecoderOps = 11;
const char* decoder_op_name(DecoderOp op);

// Random fp16 weights, shared by every iteration run on them.
struct DecoderWeights {
  struct Layer {
    HugeArray<uint16_t> qkv, o, gate, up, down;  // [q+2kv][h], [h][q], [f][h], [f][h], [h][f]
    std::vector<float> norm_attn, norm_ffn;      // RMSNorm gains [h]
  };
  DecoderConfig cfg;
  std::vector<Layer> layers;
  HugeArray<uint16_t> embed;  // [vocab][h], tied: also the LM head
  std::vector<float> norm_final;
  DecoderWeights(const DecoderConfig& cfg, uint64_t seed);
};

// One sequence's part of an iteration: `tokens` new tokens after `cached`
// positions already in its KV cache (one token: a decode step).
struct SeqStep {
  size_t cached = 0;
  std::vector<int32_t> tokens;
  bool samples = true;  // the LM head and sampling run for its last token
  bool decode = false;  // a decode step (one token), not a prefill chunk: the attention operator differs
};

// The state of one batch of sequences: KV caches, scratch activations.
class DecoderIteration {
 public:
  // max_context: positions each sequence's KV cache holds.
  DecoderIteration(const Backend& be, const DecoderWeights& w, size_t sequences, size_t max_context);
  // The next iteration's work (at most `sequences` entries); cached
  // positions beyond what earlier iterations wrote hold whatever the cache
  // holds (fill_cache puts random values there).
  void plan(const std::vector<SeqStep>& steps);
  void fill_cache(uint64_t seed);
  // The whole iteration, layer by layer.
  void run();
  // One operator alone, over every layer (its inputs: whatever the buffers hold).
  void run_op(DecoderOp op);
  bool has_op(DecoderOp op) const;

  // After run(): greedy token and logits of each sampling sequence, in plan order.
  const std::vector<int32_t>& sampled() const { return sampled_; }
  const float* logits(size_t i) const { return logits_.data() + i * w_.cfg.vocab; }
  // Final hidden state (after the last layer, before the final norm) of token t of the batch.
  const float* hidden(size_t t) const { return x_.data() + t * w_.cfg.hidden; }

 private:
  void embed();
  void norm(size_t layer, bool ffn);
  void qkv(size_t layer);
  void rotary(size_t layer);
  void attention(size_t layer, bool prefill);
  void o_proj(size_t layer);
  void residual(size_t layer);
  void ffn_in(size_t layer);
  void activation(size_t layer);
  void ffn_out(size_t layer);
  void lm_head();
  void sample();
  uint16_t* k_cache(size_t seq, size_t layer, size_t kv_head);
  uint16_t* v_cache(size_t seq, size_t layer, size_t kv_head);

  const Backend& be_;
  const DecoderWeights& w_;
  size_t seqs_, max_ctx_;
  HugeArray<uint16_t> kv_;  // [seq][layer][K|V][kv_head][max_ctx][head_dim]
  std::vector<SeqStep> plan_;
  std::vector<size_t> first_;    // batch row of each planned sequence's first token
  std::vector<size_t> pos_;      // position of each batch row
  std::vector<size_t> samplers_; // batch rows whose logits are taken
  size_t T_ = 0;
  std::vector<float> rope_cos_, rope_sin_;  // [max_ctx][head_dim/2]
  std::vector<float> x_, xn_, qkv_, attn_, proj_, gate_, up_, act_, final_, logits_;
  std::vector<float> scores_;
  std::vector<int32_t> sampled_;
};

}  // namespace msao::kernels
