// IterationRecord: one batching iteration a cloud replica ran, one row of
// iterations.csv.
#pragma once

namespace msao {

struct IterationRecord {
  double start_s = 0, seconds = 0;
  int batch = 0, prefill_tokens = 0, decode_tokens = 0;
  double kv_bytes = 0;  // KV in use when it started
  double mfu = 0, bw_util = 0;
  int cached_tokens = 0;          // prompt tokens the prefix cache gave the prefills starting in it
  double prefix_cache_bytes = 0;  // of kv_bytes, held by the prefix cache
};

}  // namespace msao
