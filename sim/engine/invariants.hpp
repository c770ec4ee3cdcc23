// The engine's books, checked as a run goes (run.check_invariants, on by
// default; `msao run --check` forces it on). Each rule is a conservation
// law or an ordering the engine must never break, whatever the policy:
//  - per cloud iteration: a ticket sits in at most one queue; a batch holds
//    each running request once and no more requests than the replica has
//    work for; a sequence gains at most its prefill chunk or one decode
//    token; KV held stays within [0, capacity];
//  - per replica at the end: KV allocated - KV freed = KV still held, and
//    only by jobs nobody waits for;
//  - per request: lifecycle timestamps ordered; every output token counted
//    once (accepted + corrected + cloud + edge = output); bytes, energy,
//    FLOPs and device time never negative; a device activity never ends
//    before it starts;
//  - per run: every offered request leaves exactly one record; the bytes on
//    each link are the sum of the requests' transfers.
// A broken rule is recorded with the request, replica, time and rule; the
// run then ends with InvariantBroken (the first break, and how many more).
// Checks cost O(1) per request and O(batch) per iteration: see
// docs/engine.md for what they add to a run's time.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "sim/metrics/request_record.hpp"
#include "sim/metrics/run_counters.hpp"

namespace msao {

struct InvariantBroken : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class InvariantCheck {
 public:
  static constexpr int kNoReplica = -1;
  static constexpr uint64_t kNoRequest = UINT64_MAX;

  // Records a broken rule (the first one's text is kept for the error).
  void broken(const char* rule, uint64_t request, int replica, double t, const std::string& detail);
  bool ok() const { return breaks_ == 0; }
  long long breaks() const { return breaks_; }
  const std::string& first() const { return first_; }
  // Requests still in the system when the run stopped (its horizon).
  size_t unfinished() const { return unfinished_; }

  // A device activity (exec, transfer, cloud job) of `request` on `track`.
  void activity(const char* track, uint64_t request, double t0, double t1);
  // A request's record as it leaves the run.
  void record(const RequestRecord& r);
  // The run's totals against the records seen; `offered`: requests the
  // workload held. Throws InvariantBroken if any rule broke during the run.
  void finish_run(const RunCounters& c, size_t offered);

 private:
  long long breaks_ = 0;
  std::string first_;
  size_t records_ = 0, unfinished_ = 0;
  double uplink_bytes_ = 0, downlink_bytes_ = 0;
};

}  // namespace msao
