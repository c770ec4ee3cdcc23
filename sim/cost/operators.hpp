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

}  // namespace msao::cost
