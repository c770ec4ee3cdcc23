// The paper reproduction: which runs `msao reproduce paper` makes (the
// MSAO paper's settings (arXiv 2604.02945), applied as overrides to
// platforms/scenarios/paper.yaml, nothing tuned per figure) and the report
// comparing every figure the paper reports with the simulated value.
//
// Two serving stacks (platforms/serving/): hf-eager, batch-1 generation in
// Hugging Face transformers, the setup the paper's own baselines imply (35
// tokens/s for a 7B on an A100, about 60 for a 2B on an RTX 3090), and
// vllm, the continuous-batching server, beside it. Each run has one load:
// the scenario's offered load; sequential (one user, the next request sent
// when the answer arrives: how the paper's tokens/s reads); and, for the
// batching server, saturated (16 users, no think time: its capacity).
#pragma once
#include <string>
#include <vector>

#include "sim/dse/sweep_runner.hpp"

namespace msao::dse {

inline const std::vector<std::string> kPaperPolicies = {"cloud-only", "edge-only", "perllm", "msao"};
inline constexpr const char* kOracle = "oracle";  // bounds the latency claims (offered load only)
// msao's ablations (its mechanisms switched off): method name, policy overrides.
struct Ablation {
  std::string method;
  std::vector<std::string> overrides;
};
inline const std::vector<Ablation> kMsaoAblations = {
    {"msao-no-mas", {"policy.mas_aware=0"}},
    {"msao-uniform-prune", {"policy.uniform=1"}},
    {"msao-no-spec", {"policy.speculation=0"}},
    {"msao-neither", {"policy.mas_aware=0", "policy.speculation=0"}}};
inline const std::vector<std::string> kPaperDatasets = {"vqav2", "mmbench"};
inline const std::vector<std::string> kPaperBandwidths = {"200Mbps", "300Mbps", "400Mbps"};
inline constexpr const char* kBandwidthKey = "platform.edges.0.uplink.bandwidth";
inline constexpr const char* kServingKey = "platform.serving";
inline constexpr const char* kPaperServing = "hf-eager";   // what the paper's numbers imply
inline constexpr const char* kBatchingServing = "vllm";    // the batching server, shown beside it
inline constexpr const char* kMethodAxis = "method";       // a paper policy or an msao ablation
inline constexpr const char* kLoadAxis = "load";           // offered, sequential or saturated
inline constexpr const char* kSequentialArrival = "workload.arrival={type: closed, users_per_edge: 1, think_s: 0}";
inline constexpr const char* kSaturatedArrival = "workload.arrival={type: closed, users_per_edge: 16, think_s: 0}";

// Loads run per serving stack.
std::vector<std::string> paper_loads(const std::string& serving);

// Grid dataset x bandwidth x serving x method x load; `missing` gets the
// paper's policies that are not registered in this build.
SweepPlan paper_plan(const std::string& scenario, int requests, std::vector<std::string>& missing);

// report.md from a reproduce run's results.sqlite; `figures` lists the
// figure files (relative to the report) to link, each with its caption;
// `claims_holds_tsv` is the claims map's holds.tsv (scripts/claims-map) and
// `host_section` the host-time sensitivity (sim/dse/host_sensitivity.hpp),
// each left out when empty.
std::string paper_report(const std::string& db_path, const std::string& scenario, int requests,
                         const std::vector<std::string>& missing,
                         const std::vector<std::pair<std::string, std::string>>& figures = {},
                         const std::string& claims_holds_tsv = "", const std::string& host_section = "");

}  // namespace msao::dse
