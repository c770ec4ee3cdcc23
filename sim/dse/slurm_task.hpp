// run_slurm_task: one array task of a Slurm sweep (`msao slurm-task DIR`,
// started by the job's batch script). Runs its block of the plan's runs
// through the same fork pool as a local sweep (run_parallel: a crash or a
// timeout fails that run only) and appends each result to its own rows file
// (sim/dse/slurm_rows.hpp). A requeued task skips the runs its file already
// holds and first cuts off a record torn by its previous death.
#pragma once
#include <string>

namespace msao::dse {

// Returns how many of its runs failed.
size_t run_slurm_task(const std::string& attempt_dir, int task, int jobs);

std::string rows_path(const std::string& attempt_dir, int task);

}  // namespace msao::dse
