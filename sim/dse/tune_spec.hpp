// TuneSpec: what `msao tune` optimises, read from a tune YAML file: a base
// scenario with fixed overrides, the parameters to tune (any numeric config
// key with its range), the objective metric (any summary metric, minimised
// or maximised) and explicit constraints, absolute or relative to a
// reference run (e.g. accuracy no more than 0.5 points below cloud-only).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace msao::dse {

struct TuneParam {
  std::string key;
  double lo = 0, hi = 1;
  bool log_scale = false, integer = false;
  std::string unit;
  // Value for a point u in [0,1], as written into the override.
  std::string value_at(double u) const;
  double number_at(double u) const;
};

struct TuneConstraint {
  std::string metric;
  std::optional<double> min, max;   // absolute bounds
  std::optional<double> min_vs_reference, max_vs_reference;  // metric >= ref + d, <= ref + d
  // <= 0 when satisfied.
  double violation(double value, double reference) const;
  std::string describe() const;
};

struct TuneSpec {
  std::string file, base;
  std::vector<std::string> set;
  std::vector<TuneParam> params;
  std::string objective;
  bool maximize = false;
  std::vector<TuneConstraint> constraints;
  std::vector<std::string> reference_set;  // overrides on top of base+set for the reference run
  bool has_reference = false;
  int budget = 30, initial = 0;
  uint64_t seed = 1;  // the optimiser's seed (initial design, random search), not a simulation seed
  // Simulation seeds (run.seed). Each evaluation's metrics are the mean over
  // tune_seeds (empty: the base scenario's own seed, resolved by the
  // command); the best point is then re-run on each held-out eval_seeds
  // seed (empty: no held-out seeds). The two sets are disjoint.
  std::vector<uint64_t> tune_seeds, eval_seeds;
  // Overrides applied on top of the best point (and the reference) in the
  // held-out runs only: a held-out workload (e.g. another dataset or link).
  std::vector<std::string> eval_set;
  bool has_held_out() const { return !eval_seeds.empty() || !eval_set.empty(); }
  // eval_seeds, or the tuning seeds when only eval_set makes the held-out runs differ.
  const std::vector<uint64_t>& held_out_seeds() const { return eval_seeds.empty() ? tune_seeds : eval_seeds; }
  std::string method = "bayes";  // bayes | random

  // The overrides of one evaluation: `set`, then each parameter at its unit
  // coordinate u[k] in [0, 1] (values_at gives the values written).
  std::vector<std::string> overrides_at(const std::vector<double>& u) const;
  std::vector<std::string> values_at(const std::vector<double>& u) const;
  // The reference run's overrides: `set`, then `reference_set`.
  std::vector<std::string> reference_overrides() const;
};

// `overrides` with run.seed=seed appended (the last override wins).
std::vector<std::string> with_run_seed(std::vector<std::string> overrides, uint64_t seed);

TuneSpec load_tune_spec(const std::string& path);

}  // namespace msao::dse
