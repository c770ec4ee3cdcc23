// Operators of one decoder iteration: the kernels a continuous-batching
// iteration runs, each with its own work so that each gets its own roofline
// (sim/cost/op_efficiency.hpp). Per layer: input norm, QKV GEMM, rotary
// embedding, the KV-cache write of the new tokens' keys and values (vLLM's
// reshape_and_cache), attention (FlashAttention-style over prefill chunks, a
// GQA-aware pass over each decoding request's cached context), O GEMM,
// residual add, post-attention norm, FFN GEMMs, activation, residual add,
// and under tensor parallelism two all-reduces; then the LM head and
// sampling for the sequences that emit a token, and under pipeline
// parallelism one activation send between consecutive stages.
// Work is per GPU of a replica: GEMM weights and attention heads split over
// the tensor-parallel ranks (Megatron-LM's column/row split), KV heads too
// (replicated when there are fewer KV heads than ranks, as vLLM does).
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "sim/cost/model_spec.hpp"
#include "sim/cost/prefill_chunk.hpp"

namespace msao::cost {

// How a cloud model is split over GPUs: a replica is tp x pp of them.
struct Parallelism {
  int tp = 1;  // tensor-parallel ranks (each layer's matrices split)
  int pp = 1;  // pipeline stages (layers split; stages run one after the other)
  int gpus() const { return tp * pp; }
};

// The operators, in iteration order; operator_names() spells them.
enum class Op : int {
  Norm, Qkv, Rotary, AttentionPrefill, AttentionDecode, OProj, Residual, Ffn, Activation, AllReduce, LmHead,
  Sampling, PipelineSend, KvWrite
};
inline constexpr int kNumOps = 14;

// One operator's work on one GPU, summed over the layers it runs in.
struct OpWork {
  Op op = Op::Norm;        // its name (operator_names()) is the key in docs/cost-model.md and the catalogs' `operators`
  double flops = 0;        // per GPU
  double bytes = 0;        // HBM traffic per GPU
  double launches = 0;     // kernel launches
  double comm_bytes = 0;   // bytes each GPU sends over the interconnect
  double comm_calls = 0;   // collective / send calls, each paying the interconnect latency
  double gemm_tokens = 0;  // a linear layer's M (tokens multiplied at once), for its shape's efficiency; 0: not one
};

// Operator names in Op order (also the keys an `operators` map accepts).
const std::vector<std::string>& operator_names();
inline const std::string& op_name(Op op) { return operator_names()[static_cast<int>(op)]; }

// The operators of one iteration of `m`'s decoder: prefill chunks and one
// decode step for each context in decode_contexts. Operators with no work
// (no prefill, tp 1, pp 1) are left out.
std::vector<OpWork> iteration_ops(const ModelSpec& m, const Parallelism& par, const std::vector<PrefillChunk>& prefills,
                                  const std::vector<int>& decode_contexts);
// What an iteration's operators depend on: its tokens T, the sequences S
// that sample a token, and the attention work of its prefill chunks and
// decode steps (query-key pairs, KV bytes read).
struct IterationShape {
  double T = 0, S = 0, pre_pairs = 0, pre_kv = 0, dec_pairs = 0, dec_kv = 0;
  bool prefills = false, decodes = false;  // any prefill chunk, any decode step
};

// KV bytes per token on one GPU of the replica.
inline double kv_bytes_per_token_per_gpu(const ModelSpec& m, const Parallelism& par) {
  const TransformerSpec& d = m.decoder;
  const double t = std::max(par.tp, 1), L = d.layers;
  // Per-GPU KV width: KV heads split over the ranks, each keeping at least
  // one (replicated when kv_heads < tp).
  const double kv = std::max(1.0, double(d.kv_heads) / t) * d.head_dim();
  return 2.0 * L * kv * bytes_per_param(m.kv_precision);
}

inline IterationShape iteration_shape(const ModelSpec& m, const Parallelism& par,
                                      const std::vector<PrefillChunk>& prefills,
                                      const std::vector<int>& decode_contexts) {
  const double kvpt = kv_bytes_per_token_per_gpu(m, par);
  IterationShape sh;
  sh.prefills = !prefills.empty();
  sh.decodes = !decode_contexts.empty();
  for (const PrefillChunk& p : prefills) {
    const double n = p.tokens, c = p.cached;
    sh.T += n;
    sh.S += p.samples ? 1 : 0;
    sh.pre_pairs += n * c + n * (n + 1) / 2;  // the cached context, then causal within the chunk
    sh.pre_kv += (c + n) * kvpt;              // the cached keys and values and the chunk's own, read
  }
  for (int c : decode_contexts) {
    sh.T += 1;
    sh.S += 1;
    sh.dec_pairs += c + 1;
    sh.dec_kv += (c + 1) * kvpt;  // c cached and the new one, read
  }
  return sh;
}

// The operators of an iteration of that shape, each handed to
// add(const OpWork&) in iteration order, with nothing allocated (an
// iteration is costed millions of times a run).
template <typename Add>
void for_each_op(const ModelSpec& m, const Parallelism& par, const IterationShape& sh, Add&& add_op) {
  const TransformerSpec& d = m.decoder;
  const double t = std::max(par.tp, 1), L = d.layers, h = d.hidden, a = kActivationBytes;
  const double wb = bytes_per_param(m.precision);
  // Per-GPU widths: query heads split over the ranks, KV heads too (as in
  // kv_bytes_per_token_per_gpu).
  const double q = h / t;
  const double kv = std::max(1.0, double(d.kv_heads) / t) * d.head_dim();
  const double f = double(d.ffn) / t, k = d.gated_mlp ? 3 : 2;
  const double kvpt = kv_bytes_per_token_per_gpu(m, par);
  const double T = sh.T, S = sh.S;

  auto add = [&](const OpWork& w) {
    if (w.flops > 0 || w.bytes > 0 || w.comm_bytes > 0) add_op(w);
  };
  // Elementwise kernels move activations only (their few FLOPs an element
  // never bind next to their traffic).
  add({Op::Norm, 0, a * T * L * 2 * (h + h), 2 * L});                    // 2 RMSNorms: read h, write h
  add({Op::Qkv, 2 * T * L * h * (q + 2 * kv), L * h * (q + 2 * kv) * wb + a * T * L * (3 * h + q + 2 * kv), 3 * L, 0, 0, T});
  add({Op::Rotary, 0, a * T * L * 2 * (q + kv), L});                     // q and k, read and written
  add({Op::KvWrite, 0, 2 * T * kvpt, L});                                // new keys and values read, written to the cache
  add({Op::AttentionPrefill, 4 * q * L * sh.pre_pairs, sh.pre_kv, sh.prefills ? L : 0});
  add({Op::AttentionDecode, 4 * q * L * sh.dec_pairs, sh.dec_kv, sh.decodes ? L : 0});
  add({Op::OProj, 2 * T * L * q * h, L * q * h * wb + a * T * L * (q + h), L, 0, 0, T});
  add({Op::Residual, 0, a * T * L * 2 * 3 * h, 2 * L});                  // 2 adds: read 2h, write h
  add({Op::Ffn, 2 * T * L * k * h * f, L * k * h * f * wb + a * T * L * k * (h + f), k * L, 0, 0, T});
  add({Op::Activation, 0, a * T * L * (k == 3 ? 3 * f : 2 * f), L});      // SiLU(gate)*up or GELU
  if (par.tp > 1) {
    // Two all-reduces a layer (after O and after the FFN down projection),
    // ring algorithm: each rank sends 2(t-1)/t of the T x h activations.
    OpWork ar{Op::AllReduce, 0, 0, 2 * L};
    ar.comm_calls = 2 * L;
    ar.comm_bytes = 2 * L * 2 * (t - 1) / t * a * T * h;
    if (T > 0) add(ar);
  }
  if (S > 0) {
    const double vocab = m.vocab;
    add({Op::LmHead, 2 * S * h * vocab / t, h * vocab * wb / t + a * S * (h + vocab / t), 1, 0, 0, S});
    add({Op::Sampling, 0, a * S * vocab, 1});  // read the logits once (softmax / top-p)
  }
  if (par.pp > 1 && T > 0) {
    OpWork send{Op::PipelineSend, 0, 0, 0};
    send.comm_calls = par.pp - 1;
    send.comm_bytes = (par.pp - 1) * a * T * h;  // activations handed to the next stage
    add(send);
  }
}

template <typename Add>
void for_each_op(const ModelSpec& m, const Parallelism& par, const std::vector<PrefillChunk>& prefills,
                 const std::vector<int>& decode_contexts, Add&& add_op) {
  for_each_op(m, par, iteration_shape(m, par, prefills, decode_contexts), add_op);
}

}  // namespace msao::cost
