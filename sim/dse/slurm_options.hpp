// Where a sweep's runs execute: the local fork pool (the default) or a Slurm
// job array (docs/slurm.md). Filled from --executor and its options by
// sim/cli/executor_options.hpp, shared by sweep, reproduce and tune.
#pragma once
#include <string>

namespace msao::dse {

struct SlurmOptions {
  std::string partition;  // sbatch --partition; "" = the cluster's default
  std::string time;       // sbatch --time per array task; "" = the partition's default
  int array_size = 0;     // array tasks (each a block of runs); 0 = one per 50 runs, at most 1000
  double poll_s = 0.5;    // how often the coordinator gathers rows and asks squeue
};

struct ExecutorOptions {
  std::string kind = "local";  // local | slurm
  SlurmOptions slurm;
};

}  // namespace msao::dse
