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
  const TransformerSpec& d = m.decoder;
  const double t = std::max(par.tp, 1), L = d.layers, h = d.hidden, a = kActivationBytes;
  const double wb = bytes_per_param(m.precision);
  // Per-GPU widths: query heads split over the ranks; KV heads split too,
  // each rank keeping at least one (replicated when kv_heads < tp).
  const double q = h / t;
  const double kv = std::max(1.0, double(d.kv_heads) / t) * d.head_dim();
  const double f = double(d.ffn) / t, k = d.gated_mlp ? 3 : 2;
  const double kvpt = 2.0 * L * kv * bytes_per_param(m.kv_precision);  // KV bytes per token on one GPU

  double T = 0, S = 0, pre_pairs = 0, pre_kv = 0, dec_pairs = 0, dec_kv = 0;
  for (const PrefillChunk& p : prefills) {
    const double n = p.tokens, c = p.cached;
    T += n;
    S += p.samples ? 1 : 0;
    pre_pairs += n * c + n * (n + 1) / 2;  // the cached context, then causal within the chunk
    pre_kv += (c + n) * kvpt;              // the cached keys and values and the chunk's own, read
  }
  for (int c : decode_contexts) {
    T += 1;
    S += 1;
    dec_pairs += c + 1;
    dec_kv += (c + 1) * kvpt;  // c cached and the new one, read
  }

  std::vector<OpWork> ops;
  ops.reserve(kNumOps);
  auto add = [&](OpWork w) {
    if (w.flops > 0 || w.bytes > 0 || w.comm_bytes > 0) ops.push_back(std::move(w));
  };
  // Elementwise kernels move activations only (their few FLOPs an element
  // never bind next to their traffic).
  add({Op::Norm, 0, a * T * L * 2 * (h + h), 2 * L});                    // 2 RMSNorms: read h, write h
  add({Op::Qkv, 2 * T * L * h * (q + 2 * kv), L * h * (q + 2 * kv) * wb + a * T * L * (3 * h + q + 2 * kv), 3 * L, 0, 0, T});
  add({Op::Rotary, 0, a * T * L * 2 * (q + kv), L});                     // q and k, read and written
  add({Op::KvWrite, 0, 2 * T * kvpt, L});                                // new keys and values read, written to the cache
  add({Op::AttentionPrefill, 4 * q * L * pre_pairs, pre_kv, prefills.empty() ? 0 : L});
  add({Op::AttentionDecode, 4 * q * L * dec_pairs, dec_kv, decode_contexts.empty() ? 0 : L});
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
  return ops;
}

}  // namespace msao::cost
