// The `workload:` section of a scenario: where requests come from (a
// dataset-shaped generator or a MAS trace file), how many, how they arrive
// (Poisson, Markov-modulated Poisson, closed-loop users with think time, or
// replay of the trace's timestamps) and how they are spread over edges.
// Keys and defaults are documented in traces/README.md ("Scenario keys").
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/yaml_section.hpp"
#include "sim/request.hpp"
#include "sim/request_source.hpp"
#include "workloads/output_length.hpp"
#include "workloads/rng.hpp"
#include "workloads/sessions.hpp"

namespace msao {

enum class ArrivalType { Poisson, Mmpp, Closed, Replay };
enum class EdgeAssignment { Random, RoundRobin };
enum class ThinkDistribution { Exponential, Constant };

struct ArrivalConfig {
  ArrivalType type = ArrivalType::Poisson;
  double start_s = 0;                        // time of the first possible arrival
  double rate_rps = 1;                       // poisson: mean arrivals per second per edge
  std::vector<double> rates_rps;             // mmpp: per-edge rate in each state
  std::vector<double> mean_dwell_s;          // mmpp: mean (exponential) time in each state
  int users_per_edge = 1;                    // closed: users per edge
  double think_s = 1;                        // closed: mean think time, seconds
  ThinkDistribution think = ThinkDistribution::Exponential;
};

// The most requests one run may have. A streamed run's memory does not
// grow with requests, but its requests.csv does (about 390 bytes a row), and
// a closed loop or a trace holds its whole workload. docs/scenario.md, "Limits".
inline constexpr long long kMaxRequests = 10000000;
// Closed-loop users (users_per_edge x edges) in one scenario: each is a
// request in flight holding an actor stack (about 35 KB: 200k in flight
// took 6.96 GB), so this bounds that memory to about 3.5 GB.
inline constexpr long long kMaxClosedLoopUsers = 100000;

struct WorkloadConfig {
  std::string source = "generator";  // generator | trace (MAS trace v1) | serving-trace (LLM-serving CSV)
  std::string dataset;               // generator: one of generator_datasets()
  std::string trace_path;            // trace: resolved against the scenario file's folder
  size_t requests = 0;               // generator: required; trace: 0 = every row
  EdgeAssignment edges = EdgeAssignment::Random;
  // An input of a modality a model has no encoder for: false (default,
  // `unsupported_inputs: reject`) is bad input; true (`drop`) removes it
  // from the request before the run and counts it (summary.json dropped_inputs).
  bool drop_unsupported_inputs = false;
  // workload.output_tokens: when set, every request's answer length is drawn
  // from it (stream "output-tokens") instead of kept from the dataset or trace.
  std::optional<OutputLength> output_tokens;
  // workload.draft_acceptance: when set, every request's per-token draft /
  // target agreement rate (Request::draft_acceptance, the alpha of
  // workloads/draft_tokens.hpp) instead of the dataset's rule; no draw.
  std::optional<double> draft_acceptance;
  // workload.sessions / shared_prefix: conversations and shared prompts
  // laid over the requests (workloads/sessions.hpp).
  SessionShape sessions;
  ArrivalConfig arrival;
};

// Reads the scenario's workload map (and its arrival child); calls finish().
WorkloadConfig parse_workload(YamlSection& section);

// Open-loop requests with arrival_s and edge filled, sorted by arrival. For
// closed-loop arrivals every request gets arrival_s = start_s and its edge;
// the engine issues them as users finish thinking (ThinkTimeSampler). For
// replay the trace's arrival_s (+ start_s) and edge are kept, and an edge
// index >= num_edges is an InputError naming the trace row.
std::vector<Request> materialize_workload(const WorkloadConfig& cfg, uint64_t seed, int num_edges);
// The same requests, in the same order, made one at a time as they are
// asked for (a generated workload is never held whole; a trace is read
// whole first). `cfg` must outlive the source. A replayed trace's edge out
// of range is an InputError when its row is reached.
std::unique_ptr<RequestSource> open_workload(const WorkloadConfig& cfg, uint64_t seed, int num_edges);

// Think times of one closed-loop user: its own stream per (edge, user), so
// the engine's order of asking does not change any user's sequence.
class ThinkTimeSampler {
 public:
  ThinkTimeSampler(const ArrivalConfig& cfg, uint64_t seed, int edge, int user);
  double next();

 private:
  double mean_;
  ThinkDistribution dist_;
  Rng rng_;
};

}  // namespace msao
