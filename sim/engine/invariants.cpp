#include "sim/engine/invariants.hpp"

#include <cmath>
#include <cstdio>

namespace msao {

namespace {

// Sums of the same doubles in another order differ in their last bits.
bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-6; }

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

}  // namespace

void InvariantCheck::broken(const char* rule, uint64_t request, int replica, double t, const std::string& detail) {
  if (breaks_++ > 0) return;
  first_ = std::string("invariant broken: ") + rule;
  if (request != kNoRequest) first_ += ": request " + std::to_string(request);
  if (replica != kNoReplica) first_ += (request != kNoRequest ? " on replica " : ": replica ") + std::to_string(replica);
  first_ += " at t=" + num(t) + " s: " + detail;
}

void InvariantCheck::activity(const char* track, uint64_t request, double t0, double t1) {
  if (!(t1 >= t0))
    broken("an activity ends before it starts", request, kNoReplica, t0,
           std::string(track) + " from " + num(t0) + " to " + num(t1) + " s");
}

void InvariantCheck::record(const RequestRecord& r) {
  ++records_;
  if (r.status == RequestStatus::Unfinished) ++unfinished_;
  uplink_bytes_ += r.uplink_bytes;
  downlink_bytes_ += r.downlink_bytes;
  const double t = std::isnan(r.done) ? r.arrival : r.done;
  // Lifecycle order: each stage's end after its start, everything within
  // [arrival, done]. NaN stages did not happen.
  const struct {
    const char* a;
    double ta;
    const char* b;
    double tb;
  } order[] = {
      {"edge_start", r.edge_start, "edge_pre_end", r.edge_pre_end},
      {"upload_start", r.upload_start, "upload_end", r.upload_end},
      {"cloud_enqueue", r.cloud_enqueue, "cloud_start", r.cloud_start},
      {"cloud_start", r.cloud_start, "cloud_first_token", r.cloud_first_token},
      {"cloud_first_token", r.cloud_first_token, "cloud_end", r.cloud_end},
      {"first_token", r.first_token, "done", r.done},
  };
  for (const auto& o : order)
    if (!std::isnan(o.ta) && !std::isnan(o.tb) && o.tb < o.ta)
      broken("lifecycle out of order", r.id, kNoReplica, t,
             std::string(o.b) + " " + num(o.tb) + " s before " + o.a + " " + num(o.ta) + " s");
  const double stamps[] = {r.edge_start,        r.edge_pre_end, r.edge_answer_end, r.upload_start, r.upload_end,
                           r.cloud_enqueue,     r.cloud_start,  r.cloud_first_token, r.cloud_end,  r.reply_end,
                           r.first_token};
  for (double s : stamps) {
    if (std::isnan(s)) continue;
    if (s < r.arrival) broken("lifecycle out of order", r.id, kNoReplica, t, "a stage at " + num(s) + " s before arrival " + num(r.arrival) + " s");
    if (!std::isnan(r.done) && s > r.done)
      broken("lifecycle out of order", r.id, kNoReplica, t, "a stage at " + num(s) + " s after done " + num(r.done) + " s");
  }
  if (r.status == RequestStatus::Completed) {
    const int counted = r.accepted_tokens + r.corrected_tokens + r.cloud_tokens + r.edge_only_tokens;
    if (counted != r.output_tokens)
      broken("output tokens not conserved", r.id, kNoReplica, t,
             "accepted " + std::to_string(r.accepted_tokens) + " + corrected " + std::to_string(r.corrected_tokens) +
                 " + cloud " + std::to_string(r.cloud_tokens) + " + edge " + std::to_string(r.edge_only_tokens) +
                 " = " + std::to_string(counted) + ", answer has " + std::to_string(r.output_tokens));
    if (std::isnan(r.done) || std::isnan(r.first_token))
      broken("lifecycle out of order", r.id, kNoReplica, t, "completed without a first token or an end");
  }
  const struct {
    const char* what;
    double v;
  } nonneg[] = {{"uplink bytes", r.uplink_bytes}, {"downlink bytes", r.downlink_bytes},
                {"edge busy s", r.edge_busy_s},   {"cloud busy s", r.cloud_busy_s},
                {"edge FLOPs", r.edge_flops},     {"cloud FLOPs", r.cloud_flops},
                {"energy J", r.energy_j},         {"radio energy J", r.radio_energy_j}};
  for (const auto& n : nonneg)
    if (!(n.v >= 0)) broken("a quantity below zero", r.id, kNoReplica, t, std::string(n.what) + " = " + num(n.v));
}

void InvariantCheck::finish_run(const RunCounters& c, size_t offered) {
  if (records_ != offered)
    broken("requests not conserved", kNoRequest, kNoReplica, c.sim_time_s,
           std::to_string(offered) + " offered, " + std::to_string(records_) + " records");
  if (!close(c.uplink_bytes, uplink_bytes_))
    broken("link bytes not conserved", kNoRequest, kNoReplica, c.sim_time_s,
           "uplink carried " + num(c.uplink_bytes) + " B, requests' transfers sum to " + num(uplink_bytes_) + " B");
  if (!close(c.downlink_bytes, downlink_bytes_))
    broken("link bytes not conserved", kNoRequest, kNoReplica, c.sim_time_s,
           "downlink carried " + num(c.downlink_bytes) + " B, requests' transfers sum to " + num(downlink_bytes_) + " B");
  // (A run stopped at its horizon leaves transfers in flight: neither received nor cancelled.)
  if (unfinished_ == 0 && (!close(c.uplink_bytes_sent, c.uplink_bytes + c.uplink_bytes_cancelled) ||
      !close(c.downlink_bytes_sent, c.downlink_bytes + c.downlink_bytes_cancelled)))
    broken("link bytes not conserved", kNoRequest, kNoReplica, c.sim_time_s, "bytes sent != received + cancelled");
  const struct {
    const char* what;
    double v;
  } nonneg[] = {{"edge energy J", c.energy_j_edge}, {"cloud energy J", c.energy_j_cloud},
                {"radio energy J", c.energy_j_edge_radio}, {"cloud busy s", c.cloud_busy_s},
                {"cloud FLOPs", c.cloud_flops}};
  for (const auto& n : nonneg)
    if (!(n.v >= 0)) broken("a quantity below zero", kNoRequest, kNoReplica, c.sim_time_s, std::string(n.what) + " = " + num(n.v));
  if (breaks_ > 0)
    throw InvariantBroken(first_ + (breaks_ > 1 ? " (and " + std::to_string(breaks_ - 1) + " more)" : ""));
}

}  // namespace msao
