// The workload as a stream (open_workload): each request is generated (or
// taken from its trace), given an edge and an arrival time only when the
// engine asks for it, so a run never holds the whole workload. Each process
// draws from its own named stream (generator, edge assignment, arrival
// times, answer lengths when workload.output_tokens overrides them), so the
// same seed gives the same requests, in the same order, as
// generating them all first (materialize_workload). MMPP: one modulating
// chain shared by all edges (bursts hit every edge at once, like a flash
// crowd), states visited cyclically 0 -> 1 -> ... -> 0, exponential dwell in
// each; within a state arrivals are Poisson at rates_rps[state] per edge.
#include <memory>
#include <optional>

#include "sim/config/input_error.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/serving_trace.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

namespace {

// Open-loop arrival times, one per call.
class ArrivalClock {
 public:
  ArrivalClock(const ArrivalConfig& c, uint64_t seed, int num_edges)
      : c_(c), edges_(num_edges), rng_(seed, "arrival/times"), t_(c.start_s) {
    if (c_.type == ArrivalType::Mmpp) switch_at_ = t_ + rng_.exponential(c_.mean_dwell_s[0]);
  }
  double next() {
    switch (c_.type) {
      case ArrivalType::Poisson: return t_ += rng_.exponential(1.0 / (c_.rate_rps * edges_));
      case ArrivalType::Mmpp: return next_mmpp();
      default: return c_.start_s;  // closed: the engine's users decide when
    }
  }

 private:
  double next_mmpp() {
    for (;;) {
      const double rate = c_.rates_rps[state_] * edges_;
      if (rate > 0) {
        const double next = t_ + rng_.exponential(1.0 / rate);
        if (next < switch_at_) return t_ = next;
      }
      t_ = switch_at_;  // memoryless: restart the clock in the next state
      state_ = (state_ + 1) % c_.rates_rps.size();
      switch_at_ = t_ + rng_.exponential(c_.mean_dwell_s[state_]);
    }
  }

  const ArrivalConfig& c_;
  int edges_;
  Rng rng_;
  double t_;
  size_t state_ = 0;
  double switch_at_ = 0;
};

class WorkloadStream final : public RequestSource {
 public:
  WorkloadStream(const WorkloadConfig& cfg, uint64_t seed, int num_edges)
      : cfg_(cfg),
        edges_(num_edges),
        edge_rng_(seed, "arrival/edges"),
        length_rng_(seed, "output-tokens"),
        clock_(cfg.arrival, seed, num_edges),
        sessions_(cfg.sessions) {
    if (cfg.source == "generator") {
      gen_.emplace(cfg.dataset, seed);
      n_ = cfg.requests;
      return;
    }
    // A trace is read whole (its size is the file's): only generated
    // workloads are produced on demand.
    require_input_file(cfg.trace_path, cfg.source == "serving-trace" ? "an LLM-serving trace CSV" : "a MAS trace v1 CSV");
    // Shared with the parsed-file cache, not copied: the sweep and tune
    // checks and the fuzz harnesses load the same trace many times.
    trace_ = cfg.source == "serving-trace" ? read_serving_trace_shared(cfg.trace_path) : read_mas_trace_shared(cfg.trace_path);
    if (trace_->empty()) throw InputError(cfg.trace_path, 0, "", "a header and no requests", "at least one request row");
    if (cfg.requests > trace_->size())
      throw InputError(cfg.trace_path, 0, "workload.requests", std::to_string(cfg.requests) + " requests",
                       "at most the trace's " + std::to_string(trace_->size()) + " rows");
    n_ = cfg.requests > 0 ? cfg.requests : trace_->size();
  }

  size_t size() const override { return n_; }

  bool next(Request& r) override {
    if (pos_ >= n_) return false;
    const size_t i = pos_++;
    r = gen_ ? gen_->next() : (*trace_)[i];
    if (cfg_.output_tokens) r.output_tokens = draw_output_tokens(*cfg_.output_tokens, length_rng_);
    if (cfg_.draft_acceptance) r.draft_acceptance = *cfg_.draft_acceptance;
    const ArrivalConfig& a = cfg_.arrival;
    // A serving trace names no edges: spread its requests like generated ones.
    if (a.type != ArrivalType::Replay || cfg_.source == "serving-trace")
      r.edge = cfg_.edges == EdgeAssignment::RoundRobin ? static_cast<int>(i % static_cast<size_t>(edges_))
                                                         : static_cast<int>(edge_rng_.integer(0, edges_ - 1));
    if (a.type == ArrivalType::Replay) {
      if (r.edge >= edges_)
        throw InputError(cfg_.trace_path, static_cast<int>(i) + 3, "column 3 (edge)", std::to_string(r.edge),
                         "an edge index below the scenario's " + std::to_string(edges_) + " edges");
      r.arrival_s += a.start_s;
    } else {
      r.arrival_s = clock_.next();
    }
    if (cfg_.sessions.active()) sessions_.apply(r);
    return true;
  }

 private:
  const WorkloadConfig& cfg_;
  int edges_;
  Rng edge_rng_;
  Rng length_rng_;  // workload.output_tokens: its own stream, so no other draw moves
  ArrivalClock clock_;
  SessionShaper sessions_;
  std::optional<RequestGenerator> gen_;
  std::shared_ptr<const std::vector<Request>> trace_;
  size_t n_ = 0, pos_ = 0;
};

}  // namespace

std::unique_ptr<RequestSource> open_workload(const WorkloadConfig& cfg, uint64_t seed, int num_edges) {
  if (num_edges < 1) throw InputError("workload", 0, "num_edges", std::to_string(num_edges), "at least 1 edge");
  return std::make_unique<WorkloadStream>(cfg, seed, num_edges);
}

std::vector<Request> materialize_workload(const WorkloadConfig& cfg, uint64_t seed, int num_edges) {
  const auto src = open_workload(cfg, seed, num_edges);
  std::vector<Request> rs;
  rs.reserve(src->size());
  for (Request r; src->next(r);) rs.push_back(std::move(r));
  return rs;
}

}  // namespace msao
