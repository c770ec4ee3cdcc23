// RequestRecord: everything the engine observed about one request, written as
// one row of requests.csv. Timestamps are simulated seconds; a stage that did
// not happen keeps NaN (written as an empty cell).
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "sim/cost/memory_use.hpp"
#include "sim/metrics/outcomes.hpp"

namespace msao {

enum class RequestStatus { Completed, Rejected, Unfinished, Failed };
const char* status_name(RequestStatus s);

struct RequestRecord {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  uint64_t id = 0;
  int edge = 0;
  std::string dataset, category, decision, mode;
  int prompt_tokens = 0, output_tokens = 0;
  uint64_t session = 0;  // the conversation it is a turn of (0: none)
  int turn = 0;
  // The cloud's caches: prompt tokens its cloud job found in the prefix
  // cache (not prefilled again), and whether its media's encoding was
  // found (the encoder not run again).
  int cached_tokens = 0;
  bool encoder_hit = false;
  int edge_cached_tokens = 0;  // prompt tokens the edge model's KV held from the session's earlier turns
  double arrival = kNone;
  double edge_start = kNone, edge_pre_end = kNone, edge_answer_end = kNone;
  double upload_start = kNone, upload_end = kNone;
  double cloud_enqueue = kNone, cloud_start = kNone, cloud_first_token = kNone, cloud_end = kNone;
  double reply_end = kNone;
  double first_token = kNone, done = kNone;
  AnsweredBy answered_by = AnsweredBy::Unset;
  SpecOutcome spec_outcome = SpecOutcome::Unset;
  // Token-level collaboration (mode "tokens"; zero elsewhere). Every output
  // token is exactly one of: a draft token the cloud accepted, a token the
  // cloud emitted in a verification pass (correction or bonus), a token the
  // cloud decoded after a hand-off, or an unverified edge token:
  // accepted + corrected + cloud + edge_only = output_tokens.
  int rounds = 0;             // verification passes
  int verified_tokens = 0;    // drafted tokens sent for verification
  int draft_tokens = 0;       // tokens the edge drafted (including discarded ones)
  int accepted_tokens = 0, corrected_tokens = 0, cloud_tokens = 0, edge_only_tokens = 0;
  int handoff_step = -1;      // decoding step at which generation moved to the cloud (-1: never)
  double handoff_bytes = 0;   // bytes of that hand-off
  // Faults (platform.faults): cloud interactions retried and timed out, the
  // last failure met (link-down, timeout, gpu-failure, gpu-down), and
  // whether a GPU failure lost this request's job.
  int retries = 0, timeouts = 0;
  Cause failure = Cause::None;
  bool lost_on_failure = false;
  double uplink_bytes = 0, downlink_bytes = 0;
  double edge_busy_s = 0, cloud_busy_s = 0;  // device seconds attributed to this request
  double edge_flops = 0, cloud_flops = 0;
  double energy_j = 0;
  double radio_energy_j = 0;  // the edge radio's energy its transfers caused (docs/energy.md)
  cost::MemoryUse edge_mem;  // the edge's memory peak while serving it, runtime excluded (not written to the CSV)
  bool correct = false;
  RequestStatus status = RequestStatus::Unfinished;
  Cause reason = Cause::None;  // why rejected (or the failure that ended it)

  double latency() const { return done - arrival; }
  double ttft() const { return first_token - arrival; }
  // Time per output token after the first (NaN for one-token answers).
  double tpot() const { return output_tokens > 1 ? (done - first_token) / (output_tokens - 1) : kNone; }
};

}  // namespace msao
