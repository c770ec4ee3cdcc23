// LLM-serving traces: the public conversation-serving format
// `request_id,arrived_at,num_prefill_tokens,num_decode_tokens` (e.g.
// traces/serving/llm-serving-workload-10k.csv, from a public LLM
// conversation trace). They carry no images, MAS or correctness, so they
// become text-only requests for testing cloud serving (batching, KV memory,
// throughput) under real arrival times and prompt/answer lengths.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/request.hpp"

namespace msao {

// The largest serving trace file read: 10 million rows of up to 100 bytes.
inline constexpr uint64_t kMaxServingTraceBytes = uint64_t{1} << 30;

// Validates every field; InputError with file:line, column, found, expected.
// Correctness is unknown: both models count as correct (accuracy is not
// measured on this source), and the edge confidence is 0. draft_acceptance
// keeps Request's default; token_seed is splitmix64(request_id).
std::vector<Request> read_serving_trace(const std::string& path);
// The same, shared with the per-process cache of parsed files
// (sim/config/parsed_file_cache.hpp) instead of copied out of it.
std::shared_ptr<const std::vector<Request>> read_serving_trace_shared(const std::string& path);

}  // namespace msao
