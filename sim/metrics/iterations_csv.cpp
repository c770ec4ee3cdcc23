#include "sim/metrics/iterations_csv.hpp"

#include "sim/metrics/csv_number.hpp"

namespace msao {

const char* iterations_csv_header() { return "replica,gpus,start_s,seconds,batch,prefill_tokens,decode_tokens,kv_bytes,mfu,bw_util,cached_tokens,prefix_cache_bytes\n"; }

ReplicaGpus::ReplicaGpus(const std::vector<int>& sizes) : uniform_(1), count_(sizes) {
  int next = 0;
  for (int n : sizes) {
    first_.push_back(next);
    next += n;
  }
}

int ReplicaGpus::first(size_t replica) const {
  if (first_.empty()) return static_cast<int>(replica) * uniform_;
  return replica < first_.size() ? first_[replica] : first_.back() + count_.back();
}

int ReplicaGpus::count(size_t replica) const {
  if (count_.empty()) return uniform_;
  return replica < count_.size() ? count_[replica] : 1;
}

void append_iteration_row(std::string& s, size_t replica, const ReplicaGpus& gpus, const IterationRecord& it) {
  // The replica's GPUs, as the hosts cloud-<first>..cloud-<last>.
  // (Appended piece by piece: a row is written per batching iteration.)
  const auto first = static_cast<long long>(gpus.first(replica)), per = static_cast<long long>(gpus.count(replica));
  csv::whole(s, static_cast<long long>(replica));
  s += ',';
  csv::whole(s, first);
  if (per > 1) {
    s += '-';
    csv::whole(s, first + per - 1);
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

std::string iterations_csv(const std::vector<std::vector<IterationRecord>>& per_replica, const ReplicaGpus& gpus) {
  std::string s = iterations_csv_header();
  for (size_t rep = 0; rep < per_replica.size(); ++rep)
    for (const IterationRecord& it : per_replica[rep]) append_iteration_row(s, rep, gpus, it);
  return s;
}

}  // namespace msao
