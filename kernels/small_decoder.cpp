// See small_decoder.hpp. The linear layers run on Backend::gemm_f16 and
// attention on Backend::attn_partial (the flash-decoding kernel: a causal
// prefill query attends to the first pos+1 keys, so prefill attention is
// the same kernel over growing prefixes); norms, rotary, SwiGLU and the
// residual adds are plain loops the compiler vectorises.
#include "kernels/small_decoder.hpp"

#include <cmath>
#include <stdexcept>

#include "kernels/half.hpp"

namespace msao::kernels {

const char* decoder_op_name(DecoderOp op) {
  static const char* const names[kNumDecoderOps] = {"norm",   "qkv",      "rotary", "attention_prefill",
                                                    "attention_decode", "o_proj", "residual", "ffn",
                                                    "activation", "lm_head", "sampling"};
  return names[static_cast<int>(op)];
}

namespace {
// Deterministic uniform values in [-scale, scale) (splitmix64).
struct Random {
  uint64_t s;
  float next(float scale) {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return scale * (float(z >> 40) / float(1u << 23) - 1.0f);
  }
};
HugeArray<uint16_t> random_f16(Random& g, size_t rows, size_t cols) {
  auto a = make_huge<uint16_t>(rows * cols);
  const float scale = 1.0f / std::sqrt(float(cols));  // keeps each output O(1)
  for (size_t i = 0; i < rows * cols; ++i) a[i] = float_to_half(g.next(scale));
  return a;
}
std::vector<float> random_gain(Random& g, size_t n) {
  std::vector<float> v(n);
  for (auto& x : v) x = 1.0f + g.next(0.1f);
  return v;
}
void rms_norm(const float* x, const float* gain, float* y, size_t n, float eps) {
  float ss = 0;
  for (size_t i = 0; i < n; ++i) ss += x[i] * x[i];
  const float inv = 1.0f / std::sqrt(ss / float(n) + eps);
  for (size_t i = 0; i < n; ++i) y[i] = x[i] * inv * gain[i];
}
}  // namespace

DecoderWeights::DecoderWeights(const DecoderConfig& c, uint64_t seed) : cfg(c) {
  if (c.heads == 0 || c.kv_heads == 0 || c.hidden % c.heads || c.heads % c.kv_heads || c.head_dim() % 2)
    throw std::invalid_argument("decoder config: heads must divide hidden, kv_heads heads, and head_dim be even");
  Random g{seed};
  const size_t h = c.hidden, q = h, kv = c.kv_dim(), f = c.ffn;
  for (size_t l = 0; l < c.layers; ++l) {
    Layer L;
    L.qkv = random_f16(g, q + 2 * kv, h);
    L.o = random_f16(g, h, q);
    L.gate = random_f16(g, f, h);
    L.up = random_f16(g, f, h);
    L.down = random_f16(g, h, f);
    L.norm_attn = random_gain(g, h);
    L.norm_ffn = random_gain(g, h);
    layers.push_back(std::move(L));
  }
  embed = random_f16(g, c.vocab, h);
  norm_final = random_gain(g, h);
}

DecoderIteration::DecoderIteration(const Backend& be, const DecoderWeights& w, size_t sequences, size_t max_context)
    : be_(be), w_(w), seqs_(sequences), max_ctx_(max_context) {
  const DecoderConfig& c = w.cfg;
  kv_ = make_huge<uint16_t>(seqs_ * c.layers * 2 * c.kv_dim() * max_ctx_);
  // The rotary table a serving engine precomputes: cos/sin of pos * theta^(-2i/d).
  const size_t half = c.head_dim() / 2;
  rope_cos_.resize(max_ctx_ * half);
  rope_sin_.resize(max_ctx_ * half);
  for (size_t p = 0; p < max_ctx_; ++p)
    for (size_t i = 0; i < half; ++i) {
      const double a = double(p) * std::pow(double(c.rope_theta), -2.0 * double(i) / double(c.head_dim()));
      rope_cos_[p * half + i] = float(std::cos(a));
      rope_sin_[p * half + i] = float(std::sin(a));
    }
}

uint16_t* DecoderIteration::k_cache(size_t seq, size_t layer, size_t kv_head) {
  const DecoderConfig& c = w_.cfg;
  return kv_.get() + (((seq * c.layers + layer) * 2 + 0) * c.kv_heads + kv_head) * max_ctx_ * c.head_dim();
}
uint16_t* DecoderIteration::v_cache(size_t seq, size_t layer, size_t kv_head) {
  const DecoderConfig& c = w_.cfg;
  return kv_.get() + (((seq * c.layers + layer) * 2 + 1) * c.kv_heads + kv_head) * max_ctx_ * c.head_dim();
}

void DecoderIteration::fill_cache(uint64_t seed) {
  Random g{seed};
  const size_t n = seqs_ * w_.cfg.layers * 2 * w_.cfg.kv_dim() * max_ctx_;
  for (size_t i = 0; i < n; ++i) kv_[i] = float_to_half(g.next(1.0f));
}

void DecoderIteration::plan(const std::vector<SeqStep>& steps) {
  if (steps.size() > seqs_) throw std::invalid_argument("more sequences than the KV cache holds");
  plan_ = steps;
  first_.clear();
  pos_.clear();
  samplers_.clear();
  for (const SeqStep& s : plan_) {
    if (s.tokens.empty() || s.cached + s.tokens.size() > max_ctx_)
      throw std::invalid_argument("a sequence step needs 1..max_context tokens in all");
    if (s.decode && s.tokens.size() != 1) throw std::invalid_argument("a decode step has one token");
    first_.push_back(pos_.size());
    for (size_t i = 0; i < s.tokens.size(); ++i) pos_.push_back(s.cached + i);
    if (s.samples) samplers_.push_back(pos_.size() - 1);
  }
  T_ = pos_.size();
  const DecoderConfig& c = w_.cfg;
  x_.assign(T_ * c.hidden, 0);
  xn_.assign(T_ * c.hidden, 0);
  qkv_.assign(T_ * (c.hidden + 2 * c.kv_dim()), 0);
  attn_.assign(T_ * c.hidden, 0);
  proj_.assign(T_ * c.hidden, 0);
  gate_.assign(T_ * c.ffn, 0);
  up_.assign(T_ * c.ffn, 0);
  act_.assign(T_ * c.ffn, 0);
  final_.assign(samplers_.size() * c.hidden, 0);
  logits_.assign(samplers_.size() * c.vocab, 0);
  sampled_.assign(samplers_.size(), -1);
  embed();
}

bool DecoderIteration::has_op(DecoderOp op) const {
  bool prefill = false, decode = false;
  for (const SeqStep& s : plan_) (s.decode ? decode : prefill) = true;
  switch (op) {
    case DecoderOp::AttentionPrefill: return prefill;
    case DecoderOp::AttentionDecode: return decode;
    case DecoderOp::LmHead:
    case DecoderOp::Sampling: return !samplers_.empty();
    default: return T_ > 0;
  }
}

// ---- steps ------------------------------------------------------------------

void DecoderIteration::embed() {
  const size_t h = w_.cfg.hidden;
  size_t t = 0;
  for (const SeqStep& s : plan_)
    for (int32_t tok : s.tokens) {
      if (tok < 0 || size_t(tok) >= w_.cfg.vocab) throw std::invalid_argument("token id outside the vocabulary");
      const uint16_t* row = w_.embed.get() + size_t(tok) * h;
      for (size_t i = 0; i < h; ++i) x_[t * h + i] = half_to_float(row[i]);
      ++t;
    }
}

void DecoderIteration::norm(size_t layer, bool ffn) {
  const size_t h = w_.cfg.hidden;
  const auto& gain = ffn ? w_.layers[layer].norm_ffn : w_.layers[layer].norm_attn;
  for (size_t t = 0; t < T_; ++t) rms_norm(&x_[t * h], gain.data(), &xn_[t * h], h, w_.cfg.norm_eps);
}

void DecoderIteration::qkv(size_t layer) {
  const size_t h = w_.cfg.hidden;
  be_.gemm_f16(w_.layers[layer].qkv.get(), xn_.data(), qkv_.data(), T_, h + 2 * w_.cfg.kv_dim(), h);
}

void DecoderIteration::rotary(size_t) {
  // rotate_half form (Llama, Qwen2): pairs (i, i + d/2) of every q and k head.
  const DecoderConfig& c = w_.cfg;
  const size_t d = c.head_dim(), half = d / 2, width = c.hidden + 2 * c.kv_dim();
  const size_t rotated_heads = c.heads + c.kv_heads;  // q heads, then k heads (v is not rotated)
  for (size_t t = 0; t < T_; ++t) {
    const float* cs = &rope_cos_[pos_[t] * half];
    const float* sn = &rope_sin_[pos_[t] * half];
    for (size_t hd = 0; hd < rotated_heads; ++hd) {
      float* v = &qkv_[t * width + hd * d];
      for (size_t i = 0; i < half; ++i) {
        const float a = v[i], b = v[i + half];
        v[i] = a * cs[i] - b * sn[i];
        v[i + half] = b * cs[i] + a * sn[i];
      }
    }
  }
}

void DecoderIteration::attention(size_t layer, bool prefill) {
  const DecoderConfig& c = w_.cfg;
  const size_t d = c.head_dim(), width = c.hidden + 2 * c.kv_dim(), group = c.heads / c.kv_heads;
  const float scale = 1.0f / std::sqrt(float(d));
  for (size_t s = 0; s < plan_.size(); ++s) {
    const SeqStep& st = plan_[s];
    if (st.decode == prefill) continue;
    // Append the new tokens' keys (rotated) and values to the cache, in fp16.
    for (size_t i = 0; i < st.tokens.size(); ++i) {
      const float* row = &qkv_[(first_[s] + i) * width];
      for (size_t g = 0; g < c.kv_heads; ++g) {
        uint16_t* K = k_cache(s, layer, g) + (st.cached + i) * d;
        uint16_t* V = v_cache(s, layer, g) + (st.cached + i) * d;
        for (size_t j = 0; j < d; ++j) {
          K[j] = float_to_half(row[c.hidden + g * d + j]);
          V[j] = float_to_half(row[c.hidden + c.kv_dim() + g * d + j]);
        }
      }
    }
    // Each new token's query heads attend, causally, to positions 0..pos.
    for (size_t i = 0; i < st.tokens.size(); ++i) {
      const size_t t = first_[s] + i, n = st.cached + i + 1;
      for (size_t hq = 0; hq < c.heads; ++hq) {
        const size_t g = hq / group;
        float* out = &attn_[t * c.hidden + hq * d];
        float m, l;
        be_.attn_partial(&qkv_[t * width + hq * d], k_cache(s, layer, g), v_cache(s, layer, g), n, d, scale, &m, &l,
                         out);
        const float inv = 1.0f / l;
        for (size_t j = 0; j < d; ++j) out[j] *= inv;
      }
    }
  }
}

void DecoderIteration::o_proj(size_t layer) {
  const size_t h = w_.cfg.hidden;
  be_.gemm_f16(w_.layers[layer].o.get(), attn_.data(), proj_.data(), T_, h, h);
}

void DecoderIteration::residual(size_t) {
  for (size_t i = 0; i < T_ * w_.cfg.hidden; ++i) x_[i] += proj_[i];
}

void DecoderIteration::ffn_in(size_t layer) {
  const size_t h = w_.cfg.hidden, f = w_.cfg.ffn;
  be_.gemm_f16(w_.layers[layer].gate.get(), xn_.data(), gate_.data(), T_, f, h);
  be_.gemm_f16(w_.layers[layer].up.get(), xn_.data(), up_.data(), T_, f, h);
}

void DecoderIteration::activation(size_t) {
  for (size_t i = 0; i < T_ * w_.cfg.ffn; ++i) {
    const float g = gate_[i];
    act_[i] = g / (1.0f + std::exp(-g)) * up_[i];  // SiLU(gate) * up
  }
}

void DecoderIteration::ffn_out(size_t layer) {
  const size_t h = w_.cfg.hidden, f = w_.cfg.ffn;
  be_.gemm_f16(w_.layers[layer].down.get(), act_.data(), proj_.data(), T_, h, f);
}

void DecoderIteration::lm_head() {
  const size_t h = w_.cfg.hidden;
  for (size_t i = 0; i < samplers_.size(); ++i)
    rms_norm(&x_[samplers_[i] * h], w_.norm_final.data(), &final_[i * h], h, w_.cfg.norm_eps);
  be_.gemm_f16(w_.embed.get(), final_.data(), logits_.data(), samplers_.size(), w_.cfg.vocab, h);
}

void DecoderIteration::sample() {
  const size_t V = w_.cfg.vocab;
  for (size_t i = 0; i < samplers_.size(); ++i) {
    const float* z = &logits_[i * V];
    size_t best = 0;
    for (size_t v = 1; v < V; ++v)
      if (z[v] > z[best]) best = v;
    sampled_[i] = int32_t(best);
  }
}

// ---- whole iteration, one operator --------------------------------------------

void DecoderIteration::run() {
  embed();
  for (size_t l = 0; l < w_.cfg.layers; ++l) {
    norm(l, false);
    qkv(l);
    rotary(l);
    attention(l, true);
    attention(l, false);
    o_proj(l);
    residual(l);
    norm(l, true);
    ffn_in(l);
    activation(l);
    ffn_out(l);
    residual(l);
  }
  lm_head();
  sample();
}

void DecoderIteration::run_op(DecoderOp op) {
  const size_t L = w_.cfg.layers;
  switch (op) {
    case DecoderOp::Norm: for (size_t l = 0; l < L; ++l) norm(l, false), norm(l, true); break;
    case DecoderOp::Qkv: for (size_t l = 0; l < L; ++l) qkv(l); break;
    case DecoderOp::Rotary: for (size_t l = 0; l < L; ++l) rotary(l); break;
    case DecoderOp::AttentionPrefill: for (size_t l = 0; l < L; ++l) attention(l, true); break;
    case DecoderOp::AttentionDecode: for (size_t l = 0; l < L; ++l) attention(l, false); break;
    case DecoderOp::OProj: for (size_t l = 0; l < L; ++l) o_proj(l); break;
    case DecoderOp::Residual: for (size_t l = 0; l < L; ++l) residual(l), residual(l); break;
    case DecoderOp::Ffn: for (size_t l = 0; l < L; ++l) ffn_in(l), ffn_out(l); break;
    case DecoderOp::Activation: for (size_t l = 0; l < L; ++l) activation(l); break;
    case DecoderOp::LmHead: lm_head(); break;
    case DecoderOp::Sampling: sample(); break;
  }
}

}  // namespace msao::kernels
