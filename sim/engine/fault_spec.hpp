// FaultSpec: what goes wrong in a simulation, and how requests cope.
// - Link outages are SimGrid state profiles on the links: a transfer in
//   flight when its link goes down fails at that instant, and one started
//   while it is down fails at once (checked on SimGrid 3.32).
// - An edge device failure: requests that arrive while it is down fail.
// - A cloud GPU failure loses every job on it (running or queued) and its
//   KV; the dispatcher avoids a failed GPU until it is repaired.
// - Every cloud interaction (upload, job, reply) may have a timeout; a
//   failed or timed-out one is retried after an exponential backoff, then
//   the request falls back to the edge (docs/faults.md).
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace msao {

// A periodic outage: down from offset_s, for duration_s, every every_s.
struct OutageSpec {
  double every_s = 0, duration_s = 0, offset_s = 0;
  bool on() const { return every_s > 0 && duration_s > 0; }
  // SimGrid state-profile text (looped every every_s): 0 = off, 1 = on.
  std::string state_profile() const {
    return std::to_string(offset_s) + " 0\n" + std::to_string(offset_s + duration_s) + " 1\n";
  }
};

struct FaultSpec {
  OutageSpec access_outage;  // every edge's own uplink and downlink
  OutageSpec wan_outage;     // the data-centre links (wan-in and wan-out)
  // Cloud GPU failures: exponential times between failures and to repair
  // (0 = none), drawn per GPU from `seed`; or an explicit schedule.
  double gpu_mtbf_s = 0, gpu_mttr_s = 0;
  unsigned long long seed = 1;
  struct Failure {
    int gpu = 0;
    double at_s = 0, repair_s = 0;
  };
  std::vector<Failure> gpu_failures;  // explicit (tests, replays), on top of the MTBF draws
  // Edge device failures, the same way (Failure::gpu is then the edge index).
  // A request that arrives at a failed edge fails at once (edge-down);
  // requests already running on it finish.
  double edge_mtbf_s = 0, edge_mttr_s = 0;
  std::vector<Failure> edge_failures;
  // Cloud interactions: timeout (0 = none), retries after the first try, backoff before retry i = backoff_s * 2^i.
  double timeout_s = 0;
  int retries = 0;
  double backoff_s = 0.1;
};

}  // namespace msao
