#include "sim/metrics/iterations_csv.hpp"

#include "sim/metrics/csv_number.hpp"

namespace msao {

const char* iterations_csv_header() { return "replica,gpus,start_s,seconds,batch,prefill_tokens,decode_tokens,kv_bytes,mfu,bw_util,cached_tokens,prefix_cache_bytes\n"; }

void append_iteration_row(std::string& s, size_t replica, int replica_gpus, const IterationRecord& it) {
  // The replica's GPUs, as the hosts cloud-<first>..cloud-<last>.
  // (Appended piece by piece: a row is written per batching iteration.)
  const auto per = static_cast<long long>(replica_gpus), rep = static_cast<long long>(replica);
  csv::whole(s, rep);
  s += ',';
  csv::whole(s, per > 1 ? rep * per : rep);
  if (per > 1) {
    s += '-';
    csv::whole(s, rep * per + per - 1);
  }
  s += ',';
  csv::seconds(s, it.start_s);
  csv::seconds(s, it.seconds);
  for (int n : {it.batch, it.prefill_tokens, it.decode_tokens}) {
    csv::whole(s, n);
    s += ',';
  }
  for (double v : {it.kv_bytes, it.mfu, it.bw_util}) csv::general(s, v);
  s += std::to_string(it.cached_tokens) + ',';
  csv::general(s, it.prefix_cache_bytes);
  s.back() = '\n';
}

std::string iterations_csv(const std::vector<std::vector<IterationRecord>>& per_replica, int replica_gpus) {
  std::string s = iterations_csv_header();
  for (size_t rep = 0; rep < per_replica.size(); ++rep)
    for (const IterationRecord& it : per_replica[rep]) append_iteration_row(s, rep, replica_gpus, it);
  return s;
}

}  // namespace msao
