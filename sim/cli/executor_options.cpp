#include "sim/cli/executor_options.hpp"

namespace msao::cli {

void add_executor_options(CLI::App& sub, dse::ExecutorOptions& e) {
  sub.add_option("--executor", e.kind, "Where runs execute: local (fork pool, default) or slurm (a job array; docs/slurm.md)")
      ->check(CLI::IsMember({"local", "slurm"}));
  sub.add_option("--partition", e.slurm.partition, "slurm: partition to submit to (default: the cluster's)");
  sub.add_option("--array-size", e.slurm.array_size, "slurm: array tasks, each a block of runs (default: one per 50 runs, at most 1000)")
      ->check(CLI::PositiveNumber);
  sub.add_option("--time", e.slurm.time, "slurm: time limit of each array task, as sbatch --time takes it");
}

}  // namespace msao::cli
