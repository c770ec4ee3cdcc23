// StreamedOutputs: requests.csv and iterations.csv written while a run goes
// (`msao run`, `msao compare --out`), so a run's memory does not grow with
// its length. Rows arrive in the files' order for requests (the engine's
// reorder buffer: sim/engine/request_slots.hpp); iterations arrive
// interleaved between replicas, so replica 0's go straight to the file and
// every other replica's to a spool file of its own (unnamed, in the output
// folder), appended in replica order at the end: the same bytes as writing
// the whole run at once (outputs.hpp). The files are written into a fresh
// sibling of DIR that finish() swaps in whole (sim/metrics/staged_dir.hpp):
// DIR holds the previous run until then, and a run that fails or is killed
// leaves it so.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sim/util/atomic_file.hpp"
#include "sim/metrics/iteration_record.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/metrics/staged_dir.hpp"

namespace msao {

class StreamedOutputs {
 public:
  // Creates DIR (and the sibling the files are written into).
  StreamedOutputs(const std::string& dir, ReplicaGpus replica_gpus);
  ~StreamedOutputs();
  void request(const RequestRecord& r);
  void iteration(int replica, const IterationRecord& it);
  // Commits requests.csv and iterations.csv, writes the resolved scenario
  // and the summary (summary.json last), then makes them DIR's files.
  void finish(const std::string& resolved_yaml, const std::string& summary_json);

 private:
  struct Spool;
  StagedDir stage_;
  std::string dir_;  // where the files are written: stage_.path()
  ReplicaGpus replica_gpus_;
  std::string rows_;
  std::string row_;  // replica 0's iteration row, on its way to iterations_
  AtomicFileWriter requests_, iterations_;
  std::vector<std::unique_ptr<Spool>> spools_;  // replicas 1..n
};

}  // namespace msao
