// `msao sweep SWEEP.yaml [--jobs N] [--out DIR] [--resume]` runs a sweep
// (sim/dse/sweep_spec.hpp) into DIR/results.sqlite; `msao sweep export DIR
// --csv FILE` writes its table as CSV (atomically, ordered by point and
// replica, so equal sweeps export byte-identical files).
#include <cstdio>
#include <filesystem>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/count_option.hpp"
#include "sim/cli/executor_options.hpp"
#include "sim/config/input_error.hpp"
#include "sim/dse/results_db.hpp"
#include "sim/dse/sweep_runner.hpp"
#include "sim/util/atomic_file.hpp"

namespace msao {
namespace {

struct SweepArgs {
  std::vector<std::string> args;
  int jobs = 0;
  std::string out = "out/sweep", csv;
  bool resume = false, quiet = false, allow_base_change = false;
  dse::ExecutorOptions executor;
};

int export_cmd(const SweepArgs& a) {
  if (a.args.size() != 2) throw InputError("command line", 0, "export", std::to_string(a.args.size() - 1) + " arguments", "msao sweep export DIR --csv FILE");
  if (a.csv.empty()) throw InputError("command line", 0, "--csv", "nothing", "--csv FILE for msao sweep export");
  std::filesystem::path db = a.args[1];
  if (std::filesystem::is_directory(lookup_path(db))) db /= "results.sqlite";
  write_file_atomic(a.csv, dse::export_csv(db.string()));
  std::fprintf(stderr, "wrote %s\n", a.csv.c_str());
  return 0;
}

const bool registered = cli::register_command({"sweep", "Run a parameter sweep in parallel into SQLite (or: sweep export DIR --csv FILE)",
  [](CLI::App& sub) {
    auto a = std::make_shared<SweepArgs>();
    sub.add_option("args", a->args, "SWEEP.yaml, or: export DIR")->required()->expected(1, 2);
    sub.add_option("--jobs,-j", a->jobs, "Runs at a time (default: one per core)")->check(cli::jobs_validator());
    sub.add_option("--out,-o", a->out, "Output directory (results.sqlite)");
    sub.add_flag("--resume", a->resume, "Skip runs already done in DIR/results.sqlite (failed ones run again)");
    sub.add_flag("--allow-base-change", a->allow_base_change,
                 "With --resume: add runs although the base scenario changed since DIR's rows were made");
    sub.add_option("--csv", a->csv, "export: CSV file to write");
    sub.add_flag("--quiet,-q", a->quiet, "No progress bar");
    auto check_executor = cli::add_executor_options(sub, a->executor);
    return cli::Runner([a, check_executor] {
      check_executor();
      if (a->args[0] == "export") return export_cmd(*a);
      if (a->args.size() != 1) throw InputError("command line", 0, "sweep", "extra argument '" + a->args[1] + "'", "msao sweep SWEEP.yaml [--jobs N] [--out DIR] [--resume]");
      dse::SweepPlan plan = dse::plan_from_spec(dse::load_sweep_spec(a->args[0]));
      dse::validate_plan(plan);
      dse::SweepStats st = dse::run_sweep(plan, a->out, a->jobs, a->resume, !a->quiet, a->allow_base_change, a->executor);
      std::printf("%zu runs: %zu ok, %zu failed, %zu already done; %.2f s wall; results in %s/results.sqlite\n", st.total,
                  st.ok, st.failed, st.skipped, st.wall_s, a->out.c_str());
      if (a->executor.kind == "slurm" && st.ok + st.failed > 0)
        std::printf("slurm coordinator: %.3f s CPU, %.3f ms per run\n", st.coordinator_cpu_s,
                    1e3 * st.coordinator_cpu_s / static_cast<double>(st.ok + st.failed));
      return st.failed ? 1 : 0;  // a failed run is not bad input: exit 1 (rerun with --resume to retry it)
    });
  }});

}  // namespace
}  // namespace msao
