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
  // The replica's GPUs, as the hosts cloud-<first>..cloud-<last>. (Built
  // whole in a buffer and appended once: a row is written per batching
  // iteration.)
  char row[12 * (csv::kMaxNumber + 1)];
  char* p = row;
  const auto first = static_cast<long long>(gpus.first(replica)), per = static_cast<long long>(gpus.count(replica));
  p = csv::whole(p, static_cast<long long>(replica));
  *p++ = ',';
  p = csv::whole(p, first);
  if (per > 1) {
    *p++ = '-';
    p = csv::whole(p, first + per - 1);
  }
  *p++ = ',';
  p = csv::seconds(p, it.start_s);
  p = csv::seconds(p, it.seconds);
  for (int n : {it.batch, it.prefill_tokens, it.decode_tokens}) {
    p = csv::whole(p, n);
    *p++ = ',';
  }
  for (double v : {it.kv_bytes, it.mfu, it.bw_util}) p = csv::general(p, v);
  p = csv::whole(p, it.cached_tokens);
  *p++ = ',';
  p = csv::general(p, it.prefix_cache_bytes);
  p[-1] = '\n';
  s.append(row, p);
}

std::string iterations_csv(const std::vector<std::vector<IterationRecord>>& per_replica, const ReplicaGpus& gpus) {
  std::string s = iterations_csv_header();
  for (size_t rep = 0; rep < per_replica.size(); ++rep)
    for (const IterationRecord& it : per_replica[rep]) append_iteration_row(s, rep, gpus, it);
  return s;
}

}  // namespace msao
