// `msao soak N [--from SEED] [-q]`: runs N scenarios drawn from seeds
// SEED..SEED+N-1 (sim/run/random_scenario.hpp), each with the engine's
// invariants checked, and prints every seed whose run broke a rule or
// failed, with the `msao run` command that reproduces it. Exit 0 when all
// held, 1 when any did not.
#include <cstdio>
#include <iostream>

#include "sim/cli/command_registry.hpp"
#include "sim/util/fork_call.hpp"
#include "sim/run/random_scenario.hpp"
#include "sim/run/run_scenario.hpp"

namespace msao {
namespace {

struct SoakArgs {
  long long runs = 100;
  long long from = 1;
  bool quiet = false;
};

const bool registered = cli::register_command({"soak", "Run N randomly drawn scenarios with the engine's invariants checked; print the seed of any that breaks",
  [](CLI::App& sub) {
    auto a = std::make_shared<SoakArgs>();
    sub.add_option("runs", a->runs, "How many scenarios to draw and run")->check(CLI::Range(1LL, 100000000LL))->required();
    sub.add_option("--from", a->from, "First seed (seeds from..from+runs-1)")->check(CLI::Range(0LL, 1LL << 40));
    sub.add_flag("--quiet,-q", a->quiet, "Print only failures and the final count");
    return cli::Runner([a] {
      long long failed = 0;
      for (long long i = 0; i < a->runs; ++i) {
        const auto seed = static_cast<uint64_t>(a->from + i);
        const ForkResult r = fork_call([seed] {
          RunOptions opt;
          opt.keep_records = false;
          Scenario sc = load_scenario(random_scenario_base(), random_scenario_overrides(seed));
          sc.check_invariants = true;
          const RunOutput out = run_scenario(sc, opt);
          return std::to_string(out.summary.completed) + " completed";
        });
        if (!r.ok) {
          ++failed;
          std::cout << "seed " << seed << ": FAILED (exit " << r.status << "): " << r.out << "\n  reproduce: "
                    << random_scenario_command(seed) << "\n" << std::flush;
        } else if (!a->quiet) {
          std::cout << "seed " << seed << ": ok (" << r.out << ")\n" << std::flush;
        }
      }
      std::cout << (a->runs - failed) << " passed, " << failed << " failed\n";
      return failed == 0 ? 0 : 1;
    });
  }});

}  // namespace
}  // namespace msao
