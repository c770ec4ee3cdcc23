// `msao compare SCENARIO [--policies a,b] [--set k=v ...] [--jobs N] [--out DIR]`:
// runs the scenario once per policy on the identical workload (same seed),
// each in its own process (N at a time, default one per core), and prints
// one comparison table in policy order; with --out, DIR/<policy>/ holds each
// run's outputs and DIR/compare.csv the table. scripts/demo uses it.
#include <cstdio>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/count_option.hpp"
#include "sim/config/input_error.hpp"
#include "sim/run/compare_policies.hpp"

namespace msao {
namespace {

const bool registered = cli::register_command({"compare", "Run a scenario once per policy on the same workload and print a comparison table",
  [](CLI::App& sub) {
    auto a = std::make_shared<CompareRequest>();
    sub.add_option("scenario", a->scenario, "Scenario YAML file")->required();
    sub.add_option("--policies", a->policies, "Policies to compare, comma-separated (default: every registered policy; see msao list policies)")->delimiter(',');
    sub.add_option("--set", a->sets, "Override any key: --set platform.cloud.gpus=2 (repeatable)");
    sub.add_option("--jobs,-j", a->jobs, "Policies run at once (default 0: one per core)")->check(cli::jobs_validator());
    sub.add_option("--out", a->out, "Write DIR/<policy>/ (requests.csv, summary.json, scenario.resolved.yaml) and DIR/compare.csv (default: write nothing)");
    return cli::Runner([a] {
      const std::vector<PolicyOutcome> outcomes = compare_policies(*a);  // bad input throws before the header
      std::printf("%-14s %8s %9s %9s %9s %9s %8s %9s %9s %8s %9s\n", "policy", "done", "mean ms", "p50 ms", "p95 ms",
                  "p99 ms", "req/s", "tok/s", "accuracy", "edge %", "up MB");
      int rc = 0;
      for (const PolicyOutcome& o : outcomes) {
        if (!o.ok) {
          std::printf("%-14s failed: %s\n", o.policy.c_str(), o.error.c_str());
          rc = o.status == kInputErrorExit ? kInputErrorExit : 1;
          continue;
        }
        const Summary& s = o.summary;
        std::printf("%-14s %8zu %9.1f %9.1f %9.1f %9.1f %8.3f %9.1f %8.2f%% %7.1f%% %9.2f\n", o.policy.c_str(),
                    s.completed, s.latency_ms.mean, s.latency_ms.p50, s.latency_ms.p95, s.latency_ms.p99,
                    s.throughput_rps, s.throughput_tok_s, 100 * s.accuracy, 100 * s.edge_answer_fraction,
                    s.uplink_bytes / 1e6);
      }
      if (!a->out.empty()) std::printf("results in %s/ (compare.csv and one folder per policy)\n", a->out.c_str());
      return rc;
    });
  }});

}  // namespace
}  // namespace msao
