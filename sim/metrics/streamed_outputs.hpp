// StreamedOutputs: requests.csv and iterations.csv written while a run goes
// (`msao run`, `msao compare --out`), so a run's memory does not grow with
// its length. Rows arrive in the files' order for requests (the engine's
// reorder buffer: sim/engine/request_slots.hpp); iterations arrive
// interleaved between replicas, so replica 0's go straight to the file and
// every other replica's to a spool file of its own (unnamed, in the output
// folder), appended in replica order at the end: the same bytes as writing
// the whole run at once (outputs.hpp). Each file appears atomically at
// finish(), summary.json last; a run that fails leaves none of them.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/iteration_record.hpp"
#include "sim/metrics/request_record.hpp"

namespace msao {

class StreamedOutputs {
 public:
  // Creates DIR and removes its summary.json (the completeness marker).
  StreamedOutputs(const std::string& dir, int replica_gpus);
  ~StreamedOutputs();
  void request(const RequestRecord& r);
  void iteration(int replica, const IterationRecord& it);
  // Commits requests.csv and iterations.csv, then writes the resolved
  // scenario and the summary (each atomically, summary.json last).
  void finish(const std::string& resolved_yaml, const std::string& summary_json);

 private:
  struct Spool;
  std::string dir_;
  int replica_gpus_;
  std::string rows_;
  AtomicFileWriter requests_, iterations_;
  std::vector<std::unique_ptr<Spool>> spools_;  // replicas 1..n
};

}  // namespace msao
