// run_sweep: executes a list of runs (from a sweep file, or built by
// `msao reproduce`) into OUT/results.sqlite: each run forked, `jobs` at a
// time, each finished run committed by the parent in its own transaction.
// With resume, runs whose hash is already in the table with status ok are
// skipped (failed ones run again); without
// it, a directory that already holds results is refused so rows are never
// mixed by accident.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sim/dse/results_db.hpp"
#include "sim/dse/slurm_options.hpp"
#include "sim/dse/sweep_lock.hpp"
#include "sim/dse/sweep_spec.hpp"

namespace msao::dse {

struct SweepPlan {
  std::string base;                // scenario file
  std::vector<std::string> axes;   // axis keys (column names)
  RunList runs;
  double run_timeout_s = 600;
  std::string source;              // sweep file or command, stored in meta
};

struct SweepStats {
  size_t total = 0, skipped = 0, ok = 0, failed = 0;
  double wall_s = 0;
  double coordinator_cpu_s = 0;  // the Slurm coordinator's own CPU time (submitting, polling, merging)
};

SweepPlan plan_from_spec(const SweepSpec& spec);

// Checks the overrides load before anything is forked (InputError, exit 2):
// the first run, and every run that introduces a new axis value.
void validate_plan(const SweepPlan& plan);

// A run recorded failed is run again on resume (its row replaced). The
// base file's hash is stored in the meta table; resuming over rows of
// another version of it is an InputError unless allow_base_change.
// executor.kind "slurm" runs the points as a Slurm job array
// (sim/dse/slurm_executor.hpp) into the same table; "local" forks here.
SweepStats run_sweep(const SweepPlan& plan, const std::string& out_dir, int jobs, bool resume, bool progress,
                     bool allow_base_change = false, const ExecutorOptions& executor = {});

// What both executors share: the folder's lock (sim/dse/sweep_lock.hpp:
// a second sweep into it is refused while this one lives), the opened
// table, the runs still to do (as indices into the plan's runs), the counts
// so far. Built by prepare_sweep (all the checks above, meta written); rows
// already in the table must be runs of this plan at their point and replica
// (a sweep file whose axes, set, seed or replicas changed is an InputError).
struct PreparedSweep {
  std::shared_ptr<SweepLock> lock;  // first: released after the table is closed
  std::unique_ptr<ResultsDb> db;
  std::vector<size_t> todo;
  SweepStats stats;
};
PreparedSweep prepare_sweep(const SweepPlan& plan, const std::string& out_dir, bool resume, bool allow_base_change);

// Records one finished run: ok with its encoded metrics as payload, or
// failed with `payload` as the error (a payload that does not decode is a failure too).
void record_run(PreparedSweep& s, const RunPoint& p, bool ok, const std::string& payload);

}  // namespace msao::dse
