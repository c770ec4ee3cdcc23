// iterations.csv: one row per batching iteration of every cloud replica
// (start, duration, batch size, prefill and decode tokens, KV in use, MFU
// and memory-bandwidth utilisation), rows grouped by replica in time order.
#pragma once
#include <string>
#include <vector>

#include "sim/metrics/iteration_record.hpp"

namespace msao {

// The cloud GPUs (hosts cloud-<i>) each replica runs on, replicas in order
// on consecutive GPUs: all of one size, or (a disaggregated cloud whose
// pools differ in parallelism) each its own.
class ReplicaGpus {
 public:
  ReplicaGpus(int uniform = 1) : uniform_(uniform > 1 ? uniform : 1) {}  // NOLINT: a count converts
  explicit ReplicaGpus(const std::vector<int>& sizes);
  int first(size_t replica) const;
  int count(size_t replica) const;

 private:
  int uniform_;
  std::vector<int> first_, count_;  // per replica (empty: uniform_ each)
};

const char* iterations_csv_header();
// One row (the row names the replica's hosts).
void append_iteration_row(std::string& s, size_t replica, const ReplicaGpus& gpus, const IterationRecord& it);
// The whole file from a run that kept its iterations (SimSetup::keep_records).
std::string iterations_csv(const std::vector<std::vector<IterationRecord>>& per_replica, const ReplicaGpus& gpus);

}  // namespace msao
