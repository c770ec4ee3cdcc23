// run_sweep_slurm: `msao sweep --executor slurm`. The coordinator writes
// the runs still to do as a plan in OUT/slurm/attempt-N/, submits them as
// one job array (each task a block of runs: sim/dse/slurm_task.hpp), and
// while the array runs gathers the tasks' rows files into results.sqlite,
// the same table the local executor writes; it alone writes SQLite.
// Progress counts arrived rows, with squeue's pending/running tasks. Runs
// of a task that ended without their rows (cancelled, timed out, node
// failure) are recorded failed with Slurm's state and reason; --resume runs
// them again. On --resume, arrays of earlier attempts still queued are
// cancelled and the complete rows they left are merged, so only runs with
// no result are submitted again (docs/slurm.md).
#pragma once
#include <string>

#include "sim/dse/slurm_options.hpp"
#include "sim/dse/sweep_runner.hpp"

namespace msao::dse {

SweepStats run_sweep_slurm(const SweepPlan& plan, const std::string& out_dir, bool resume, bool progress,
                           bool allow_base_change, const SlurmOptions& o);

}  // namespace msao::dse
