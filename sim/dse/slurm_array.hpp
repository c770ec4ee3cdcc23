// run_array: runs a list of simulations as one Slurm job array in a folder
// of its own (plan.txt, task.sh, job, rows/, logs/: sim/dse/slurm_rows.hpp)
// and hands each result back as it arrives, until the array has left the
// queue. Runs of a task that ended without their row (cancelled, timed out,
// node failure) come back failed with Slurm's state and reason. Shared by
// the sweep coordinator and tune's batches.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sim/dse/slurm_options.hpp"
#include "sim/dse/slurm_queue.hpp"
#include "sim/dse/slurm_rows.hpp"

namespace msao::dse {

struct ArrayRun {
  std::string hash;                    // names the run in the rows files
  std::vector<std::string> overrides;
};

struct ArrayCallbacks {
  std::function<void(size_t index, bool ok, const std::string& payload)> on_row;  // metrics, or the error
  std::function<void(const std::string& job, const QueueState&)> on_poll;        // after each gathering
};

// Returns the job id. Throws InputError if sbatch refuses the array.
std::string run_array(const std::string& base, double run_timeout_s, const std::vector<ArrayRun>& runs,
                      const std::string& dir, const SlurmOptions& o, const ArrayCallbacks& cb);

// The job id an array folder was submitted as ("" if it never was).
std::string array_job(const std::string& dir);

// The complete records of every rows file in an array folder.
std::vector<RowRecord> arrived_rows(const std::string& dir);

}  // namespace msao::dse
