#include "sim/cli/executor_options.hpp"

#include <vector>

#include "sim/cli/count_option.hpp"
#include "sim/config/input_error.hpp"

namespace msao::cli {

std::function<void()> add_executor_options(CLI::App& sub, dse::ExecutorOptions& e) {
  sub.add_option("--executor", e.kind, "Where runs execute: local (fork pool, default) or slurm (a job array; docs/slurm.md)")
      ->check(CLI::IsMember({"local", "slurm"}));
  std::vector<CLI::Option*> slurm_only{
      sub.add_option("--partition", e.slurm.partition, "slurm: partition to submit to (default: the cluster's)"),
      sub.add_option("--array-size", e.slurm.array_size, "slurm: array tasks, each a block of runs (default: one per 50 runs, at most 1000)")
          ->check(whole_number(1, 1000000, "array tasks")),
      sub.add_option("--time", e.slurm.time, "slurm: time limit of each array task, as sbatch --time takes it")};
  return [&e, slurm_only] {
    if (e.kind == "slurm") return;
    for (const CLI::Option* o : slurm_only)
      if (o->count() > 0)
        throw InputError("command line", 0, o->get_name(), o->get_name() + " with --executor " + e.kind,
                         "--executor slurm, or no " + o->get_name());
  };
}

}  // namespace msao::cli
