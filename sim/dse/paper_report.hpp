// The paper reproduction: which runs `msao reproduce paper` makes (the
// paper's settings from ../shared/seed/msao-notes.md, applied as overrides to
// platforms/scenarios/paper.yaml, nothing tuned per figure) and the report
// comparing every figure the paper reports with the simulated value.
#pragma once
#include <string>
#include <vector>

#include "sim/dse/sweep_runner.hpp"

namespace msao::dse {

inline const std::vector<std::string> kPaperPolicies = {"cloud-only", "edge-only", "perllm", "msao"};
inline const std::vector<std::string> kPaperDatasets = {"vqav2", "mmbench"};
inline const std::vector<std::string> kPaperBandwidths = {"200Mbps", "300Mbps", "400Mbps"};
inline constexpr const char* kBandwidthKey = "platform.edges.0.uplink.bandwidth";
// Each setting runs twice: at the scenario's offered load, and saturated
// (closed-loop users with no think time) for the throughput figures, which
// the paper reports as a capacity.
inline constexpr const char* kLoadAxis = "load";
inline constexpr const char* kSaturatedArrival = "workload.arrival={type: closed, users_per_edge: 16, think_s: 0}";

// Grid dataset x bandwidth x registered paper policies; `missing` gets the
// paper's policies that are not registered in this build.
SweepPlan paper_plan(const std::string& scenario, int requests, std::vector<std::string>& missing);

// report.md from a reproduce run's results.sqlite.
std::string paper_report(const std::string& db_path, const std::string& scenario, int requests,
                         const std::vector<std::string>& missing);

}  // namespace msao::dse
