// A disaggregated cloud: the cloud's GPUs split into pools, each serving some
// of a request's stages (encode, prefill, decode) with its own parallelism,
// batching and dispatcher, joined by data-centre links over which the
// encoders' output (encode -> prefill) and the prompt's KV (prefill ->
// decode) move. Prefill/decode splits follow DistServe (arXiv 2401.09670)
// and Splitwise (arXiv 2311.18677); the separate encode pool follows EPD
// disaggregation (arXiv 2501.05460) and vLLM's encoder disaggregation.
// No pools: one monolithic pool, every replica serving every stage.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/cloud_server.hpp"

namespace msao {

enum class CloudStage : uint8_t { Encode = 1, Prefill = 2, Decode = 4 };

inline unsigned stage_bit(CloudStage s) { return static_cast<unsigned>(s); }

struct CloudPoolSpec {
  std::string name;      // as the scenario names it (e.g. "encode", "prefill-decode")
  unsigned stages = 0;   // CloudStage bits it serves
  int gpus = 1;          // GPUs in the pool: gpus / replica_gpus replicas
  int replica_gpus = 1;  // per replica (tensor x pipeline parallel)
  CloudCost cost;        // each replica's costs, batching and caches
  std::string dispatcher = "least-loaded";
  bool serves(CloudStage s) const { return (stages & stage_bit(s)) != 0; }
};

// The pools, in the order their GPUs are numbered (cloud-0, ...); empty:
// a monolithic cloud. embedding_bytes_per_token: what one encoder output
// position weighs on the wire (the decoder's hidden size in 16-bit values).
struct CloudPoolsSpec {
  std::vector<CloudPoolSpec> pools;
  double embedding_bytes_per_token = 0;
  bool disaggregated() const { return !pools.empty(); }
};

}  // namespace msao
