// Open-loop arrival times and edge assignment (materialize_workload). Each
// process draws from its own named stream, so the same seed gives the same
// times whatever else the scenario changes. MMPP: one modulating chain shared
// by all edges (bursts hit every edge at once, like a flash crowd), states
// visited cyclically 0 -> 1 -> ... -> 0, exponential dwell in each; within a
// state arrivals are Poisson at rates_rps[state] per edge.
#include <sstream>

#include "sim/config/input_error.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/serving_trace.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

namespace {

void poisson_times(std::vector<Request>& rs, double total_rate, double start, Rng& rng) {
  double t = start;
  for (auto& r : rs) {
    t += rng.exponential(1.0 / total_rate);
    r.arrival_s = t;
  }
}

void mmpp_times(std::vector<Request>& rs, const ArrivalConfig& c, int num_edges, Rng& rng) {
  size_t state = 0;
  double t = c.start_s;
  double switch_at = t + rng.exponential(c.mean_dwell_s[0]);
  for (auto& r : rs) {
    for (;;) {
      const double rate = c.rates_rps[state] * num_edges;
      if (rate > 0) {
        const double next = t + rng.exponential(1.0 / rate);
        if (next < switch_at) {
          t = next;
          break;
        }
      }
      t = switch_at;  // memoryless: restart the clock in the next state
      state = (state + 1) % c.rates_rps.size();
      switch_at = t + rng.exponential(c.mean_dwell_s[state]);
    }
    r.arrival_s = t;
  }
}

}  // namespace

std::vector<Request> materialize_workload(const WorkloadConfig& cfg, uint64_t seed, int num_edges) {
  if (num_edges < 1) throw InputError("workload", 0, "num_edges", std::to_string(num_edges), "at least 1 edge");
  std::vector<Request> rs;
  if (cfg.source == "generator") {
    rs = generate_requests(cfg.dataset, cfg.requests, seed);
  } else {
    require_input_file(cfg.trace_path, cfg.source == "serving-trace" ? "an LLM-serving trace CSV" : "a MAS trace v1 CSV");
    rs = cfg.source == "serving-trace" ? read_serving_trace(cfg.trace_path) : read_mas_trace(cfg.trace_path);
    if (rs.empty()) throw InputError(cfg.trace_path, 0, "", "a header and no requests", "at least one request row");
    if (cfg.requests > rs.size())
      throw InputError(cfg.trace_path, 0, "workload.requests", std::to_string(cfg.requests) + " requests",
                       "at most the trace's " + std::to_string(rs.size()) + " rows");
    if (cfg.requests > 0) rs.resize(cfg.requests);
  }
  const ArrivalConfig& a = cfg.arrival;
  // A serving trace names no edges: spread its requests like generated ones.
  if (a.type != ArrivalType::Replay || cfg.source == "serving-trace") {
    Rng edge_rng(seed, "arrival/edges");
    for (size_t i = 0; i < rs.size(); ++i)
      rs[i].edge = cfg.edges == EdgeAssignment::RoundRobin ? static_cast<int>(i % static_cast<size_t>(num_edges))
                                                           : static_cast<int>(edge_rng.integer(0, num_edges - 1));
  }
  if (a.type == ArrivalType::Replay) {
    for (size_t i = 0; i < rs.size(); ++i) {
      if (rs[i].edge >= num_edges)
        throw InputError(cfg.trace_path, static_cast<int>(i) + 3, "column 3 (edge)", std::to_string(rs[i].edge),
                         "an edge index below the scenario's " + std::to_string(num_edges) + " edges");
      rs[i].arrival_s += a.start_s;
    }
    return rs;
  }
  Rng rng(seed, "arrival/times");
  switch (a.type) {
    case ArrivalType::Poisson: poisson_times(rs, a.rate_rps * num_edges, a.start_s, rng); break;
    case ArrivalType::Mmpp: mmpp_times(rs, a, num_edges, rng); break;
    case ArrivalType::Closed:
      for (auto& r : rs) r.arrival_s = a.start_s;
      break;
    case ArrivalType::Replay: break;
  }
  return rs;
}

}  // namespace msao
