// `msao compare SCENARIO [--policies a,b] [--set k=v ...] [--jobs N]`: runs
// the scenario once per policy on the identical workload (same seed), each
// in its own process (N at a time, default one per core), and prints one
// comparison table in policy order. scripts/demo uses it.
#include <cstring>
#include <iostream>
#include <type_traits>

#include "sim/cli/command_registry.hpp"
#include "sim/dse/proc_pool.hpp"
#include "sim/run/fork_call.hpp"
#include "sim/run/run_scenario.hpp"

namespace msao {
namespace {

static_assert(std::is_trivially_copyable_v<Summary>);

struct CompareArgs {
  std::string scenario;
  std::vector<std::string> policies, sets;
  int jobs = 0;
};

const bool registered = cli::register_command({"compare", "Run a scenario once per policy on the same workload and print a comparison table",
  [](CLI::App& sub) {
    auto a = std::make_shared<CompareArgs>();
    sub.add_option("scenario", a->scenario, "Scenario YAML file")->required();
    sub.add_option("--policies", a->policies, "Policies to compare (default: every registered policy)")->delimiter(',');
    sub.add_option("--set", a->sets, "Override any key (repeatable)");
    sub.add_option("--jobs", a->jobs, "Policies run at once (default: one per core)")->check(CLI::NonNegativeNumber);
    return cli::Runner([a] {
      std::vector<std::string> names = a->policies;
      if (names.empty())
        for (const auto& p : all_policies()) names.push_back(p.name);
      load_scenario(a->scenario, a->sets);  // validate once, before forking
      std::printf("%-14s %8s %9s %9s %9s %9s %8s %9s %9s %8s %9s\n", "policy", "done", "mean ms", "p50 ms", "p95 ms",
                  "p99 ms", "req/s", "tok/s", "accuracy", "edge %", "up MB");
      std::vector<ForkResult> results(names.size());
      dse::run_parallel(
          names.size(), a->jobs, 0,
          [&](size_t i) {
            auto sets = a->sets;
            sets.push_back("policy.type=" + names[i]);
            Summary s = run_scenario(load_scenario(a->scenario, sets)).summary;
            return std::string(reinterpret_cast<const char*>(&s), sizeof s);
          },
          [&](const dse::JobResult& r) { results[r.index] = r.fork; });
      int rc = 0;
      for (size_t i = 0; i < names.size(); ++i) {
        const ForkResult& r = results[i];
        const std::string& name = names[i];
        if (!r.ok || r.out.size() != sizeof(Summary)) {
          std::printf("%-14s failed: %s\n", name.c_str(), r.out.c_str());
          rc = r.status == kInputErrorExit ? kInputErrorExit : 1;
          continue;
        }
        Summary s;
        std::memcpy(&s, r.out.data(), sizeof s);
        std::printf("%-14s %8zu %9.1f %9.1f %9.1f %9.1f %8.3f %9.1f %8.2f%% %7.1f%% %9.2f\n", name.c_str(), s.completed,
                    s.latency_ms.mean, s.latency_ms.p50, s.latency_ms.p95, s.latency_ms.p99, s.throughput_rps,
                    s.throughput_tok_s, 100 * s.accuracy, 100 * s.edge_answer_fraction, s.uplink_bytes / 1e6);
      }
      return rc;
    });
  }});

}  // namespace
}  // namespace msao
