// iterations.csv: one row per batching iteration of every cloud replica
// (start, duration, batch size, prefill and decode tokens, KV in use, MFU
// and memory-bandwidth utilisation), rows grouped by replica in time order.
#pragma once
#include <string>
#include <vector>

#include "sim/metrics/iteration_record.hpp"

namespace msao {

const char* iterations_csv_header();
// One row; replica_gpus: GPUs per replica (the row names the replica's hosts).
void append_iteration_row(std::string& s, size_t replica, int replica_gpus, const IterationRecord& it);
// The whole file from a run that kept its iterations (SimSetup::keep_records).
std::string iterations_csv(const std::vector<std::vector<IterationRecord>>& per_replica, int replica_gpus);

}  // namespace msao
