// run_tune: `msao tune` without the command line. Runs the reference (if
// any) and then each evaluation as a forked simulation, drives Bayesian
// optimisation (or the random-search baseline) over the spec's parameters,
// and reports the convergence history. tune_json renders it with a fixed
// key order and number format, so equal inputs give identical files.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/dse/bayes_opt.hpp"
#include "sim/dse/slurm_options.hpp"
#include "sim/dse/tune_spec.hpp"

namespace msao::dse {

struct TuneStep {
  std::vector<std::string> values;        // one per param, as set
  std::map<std::string, double> metrics;  // the run's summary metrics
  Evaluation eval;                        // objective (sign-adjusted), constraints
  double best_so_far = 0;                 // in the metric's own sense; NaN until feasible
};

// The best point re-run on the held-out seeds (spec.held_out_seeds()) with
// spec.eval_set: metrics as the mean over those seeds, each seed's own
// metrics, and the constraints judged on them (a reference-relative bound
// against the reference run on the same held-out seeds and eval_set).
struct HeldOut {
  bool ok = false;
  std::string error;
  std::map<std::string, double> metrics;                  // mean over the seeds
  std::vector<std::map<std::string, double>> per_seed;    // in spec.held_out_seeds() order
  std::map<std::string, double> reference;                // mean over the seeds; empty without a reference
  std::vector<double> constraint_violations;              // <= 0 when satisfied
  bool feasible() const;
};

struct TuneResult {
  std::vector<TuneStep> steps;
  int best = -1;
  std::map<std::string, double> reference;  // mean over spec.tune_seeds
  bool has_held_out = false;                // spec.has_held_out() and a feasible best found
  HeldOut held_out;
};

// Where the evaluations run. Locally each batch (its evaluations times the
// seeds) runs `jobs` simulations at a time (0: one per core); with Slurm each batch of `batch` evaluations (constant liar) is one job
// array in slurm_dir/batch-N, so the GP keeps up to `batch` CPUs busy.
struct TuneExecution {
  ExecutorOptions executor;
  int batch = 1;
  int jobs = 1;  // local: simulations at once (0: one per core)
  std::string slurm_dir;
};

// Runs the tune. spec.tune_seeds must be resolved (non-empty): every
// evaluation, and the reference, runs once per tuning seed. reference_out,
// when given, receives the reference run's metrics before the first
// on_step (for a caller that prints each constraint beside its reference).
TuneResult run_tune(const TuneSpec& spec, const std::function<void(const TuneStep&, size_t)>& on_step = {},
                    const TuneExecution& ex = {}, std::map<std::string, double>* reference_out = nullptr);
std::string tune_json(const TuneSpec& spec, const TuneResult& r);

}  // namespace msao::dse
