// Bayesian optimisation over the unit cube, minimising an expensive
// objective under explicit constraints (constraint value <= 0 means
// feasible). The objective and each constraint get their own Matérn 5/2
// GP; the next point maximises expected improvement times the probability
// that every constraint holds (Gardner et al. 2014), or, before any
// feasible point is known, that probability alone. Candidates are seeded
// random points plus perturbations of the incumbent, so runs are exactly
// repeatable. random_search is the equal-budget baseline it must beat.
// With batch q > 1 (a cluster evaluating q points at once) each step
// proposes q points by the constant-liar heuristic (Ginsbourger et al.
// 2010): after each proposal a lie is added where it was proposed, the
// incumbent's values (or a failure while nothing is feasible), and the
// models are refitted before the next. q = 1 is the plain sequential loop.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace msao::dse {

// A point is feasible when it ran and every constraint is satisfied
// (<= 0; a NaN constraint is not).
bool feasible(bool ok, const std::vector<double>& constraints);

struct Evaluation {
  std::vector<double> x;            // in [0,1]^d
  double objective = 0;             // to minimise
  std::vector<double> constraints;  // each feasible when <= 0
  bool ok = true;                   // false: the evaluation itself failed
  std::string error;
  bool feasible() const;
};

struct BoOptions {
  int dim = 1;
  int budget = 30;    // evaluations in all
  int initial = 0;    // Latin-hypercube design first (0: max(4, 2*dim))
  uint64_t seed = 1;
  int candidates = 2000;
  int batch = 1;      // points evaluated at once
};

// Fills objective/constraints/ok of an evaluation at e.x.
using EvalFn = std::function<void(Evaluation& e)>;
// Fills a whole batch at once (e.g. one Slurm job array).
using BatchEvalFn = std::function<void(std::vector<Evaluation>& batch)>;
// Called after each evaluation (index, evaluation, best index so far or -1).
using ReportFn = std::function<void(size_t, const Evaluation&, int)>;

std::vector<Evaluation> bayes_opt(const BoOptions& opt, const EvalFn& f, const ReportFn& report = {});
std::vector<Evaluation> random_search(const BoOptions& opt, const EvalFn& f, const ReportFn& report = {});
std::vector<Evaluation> bayes_opt(const BoOptions& opt, const BatchEvalFn& f, const ReportFn& report = {});
std::vector<Evaluation> random_search(const BoOptions& opt, const BatchEvalFn& f, const ReportFn& report = {});

// Index of the best feasible evaluation, or -1.
int best_index(const std::vector<Evaluation>& h);

}  // namespace msao::dse
