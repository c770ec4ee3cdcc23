// PrefillChunk: part of one request's prefill inside a batching iteration.
// Without chunked prefill a request's whole prompt is one chunk; with it
// (Sarathi-Serve, OSDI'24; vLLM's max_num_batched_tokens) the prompt is
// spread over iterations, each chunk attending to what earlier chunks (or an
// earlier job: draft-verify passes) left in the KV cache.
#pragma once

namespace msao::cost {

struct PrefillChunk {
  int tokens = 0;       // prompt tokens processed in this iteration
  int cached = 0;       // tokens already in this request's KV cache
  bool samples = true;  // the chunk ends the prefill, so the LM head runs for it
};

}  // namespace msao::cost
