// `msao run SCENARIO.yaml [--out DIR] [--seed N] [--set key=value ...] [--timeline FILE] [--quiet] [--check]`
#include <iostream>
#include <optional>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/seed_option.hpp"
#include "sim/config/input_error.hpp"
#include "sim/util/atomic_file.hpp"
#include "sim/metrics/outputs.hpp"
#include "sim/run/run_progress.hpp"
#include "sim/run/run_to_dir.hpp"

namespace msao {
namespace {

struct RunArgs {
  std::string scenario, out = "out/run", timeline;
  std::vector<std::string> sets;
  std::optional<long long> seed;
  bool quiet = false, check = false;
};

const bool registered = cli::register_command({"run", "Run one scenario and write requests.csv, summary.json, scenario.resolved.yaml",
  [](CLI::App& sub) {
    auto a = std::make_shared<RunArgs>();
    sub.add_option("scenario", a->scenario, "Scenario YAML file (e.g. platforms/scenarios/quickstart.yaml)")->required();
    sub.add_option("--out", a->out, "Output directory")->capture_default_str();
    sub.add_option("--seed", a->seed, "Override run.seed (0 to 2^62; default: the scenario's, else 1)");
    sub.add_option("--set", a->sets, "Override any key: --set policy.type=cloud-only (repeatable)");
    sub.add_option("--timeline", a->timeline, "Write a Chrome trace (open in Perfetto) to this file (default: none)");
    sub.add_flag("--quiet,-q", a->quiet, "No progress bar (it shows on a terminal once a run takes 2 s)");
    sub.add_flag("--check", a->check,
                 "Check the engine's books as it runs even where the scenario sets run.check_invariants: false");
    return cli::Runner([a] {
      Scenario sc = load_scenario(a->scenario, cli::with_seed(a->sets, a->seed));
      if (a->check) sc.check_invariants = true;
      check_outputs(a->out);  // before the simulation: an unwritable --out must not cost a whole run
      if (!a->timeline.empty()) check_output_file(a->timeline);
      RunOptions opt;
      opt.timeline_path = a->timeline;
      RunProgress bar(!a->quiet);
      opt.on_progress = [&bar](size_t done, size_t total) { bar.update(done, total); };
      // Rows are written as requests finish; the files appear when the run ends.
      RunOutput out = run_to_dir(a->out, sc, opt);
      bar.finish();
      std::cout << "scenario " << a->scenario << ", policy " << sc.policy << ", seed " << sc.seed << "\n"
                << summary_table(out.summary) << "results in " << a->out << "/\n";
      return 0;
    });
  }});

}  // namespace
}  // namespace msao
