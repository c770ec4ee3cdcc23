// `msao tune TUNE.yaml [--out FILE] [--method bayes|random] [--budget N]
//   [--seed N] [--eval-seeds A,B,...] [--jobs N] [-q]`: tunes policy (or any
// numeric) parameters by Bayesian optimisation, each evaluation a forked
// simulation (sim/dse/tuner.hpp) on the tuning seeds. Prints the convergence
// as it goes (each constraint's value beside its reference and bound), the
// best parameters (noting any at an end of its range), and their figure on
// held-out seeds beside the in-sample one, and writes the whole history as
// JSON, atomically (docs/tune.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/count_option.hpp"
#include "sim/cli/executor_options.hpp"
#include "sim/dse/check_overrides.hpp"
#include "sim/dse/seed_list.hpp"
#include "sim/config/input_error.hpp"
#include "sim/dse/tuner.hpp"
#include "sim/util/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao {
namespace {

struct TuneArgs {
  std::string file, out = "out/tune.json", method;
  int budget = 0, batch = 0, jobs = 0;
  bool quiet = false;
  std::optional<long long> seed;
  std::string eval_seeds;
  dse::ExecutorOptions executor;
};

// Applies --seed and --eval-seeds, resolves the tuning seed (the base
// scenario's own when neither the file nor --seed names one) and checks that
// no held-out seed is also a tuning seed.
void resolve_seeds(const TuneArgs& a, dse::TuneSpec& spec) {
  if (a.seed) {
    if (*a.seed < 0 || *a.seed > (1LL << 62))
      throw InputError("command line", 0, "--seed", std::to_string(*a.seed), "a seed in [0, 2^62]");
    spec.tune_seeds = {static_cast<uint64_t>(*a.seed)};
  }
  if (!a.eval_seeds.empty()) {
    std::string bad;
    auto s = dse::parse_seed_list(dse::split_commas(a.eval_seeds), bad);
    if (!s) throw InputError("command line", 0, "--eval-seeds", bad, std::string(dse::kSeedListExpected) + ", comma-separated");
    spec.eval_seeds = *s;
  }
  if (spec.tune_seeds.empty()) spec.tune_seeds = {load_scenario(spec.base, spec.set).seed};
  for (uint64_t s : spec.eval_seeds)
    if (std::find(spec.tune_seeds.begin(), spec.tune_seeds.end(), s) != spec.tune_seeds.end())
      throw InputError(a.eval_seeds.empty() && !a.seed ? spec.file : "command line", 0,
                       !a.eval_seeds.empty() ? "--eval-seeds" : a.seed ? "--seed" : "eval_seeds",
                       "seed " + std::to_string(s) + " among both the tuning seeds (" + dse::join_seeds(spec.tune_seeds) +
                           ") and the held-out seeds",
                       "held-out seeds distinct from the tuning seeds");
}

// A constraint's bound as a number: the absolute bound, or the reference's
// value moved by the allowed difference ("0.7735 = ref 0.7785 -0.005").
std::string bound_text(const dse::TuneConstraint& c, double ref) {
  char b[128];
  std::string s;
  auto add = [&](const char* op, double v, const char* how) {
    std::snprintf(b, sizeof b, "%s%s %.6g%s", s.empty() ? "" : ", ", op, v, how);
    s += b;
  };
  if (c.min) add(">=", *c.min, "");
  if (c.max) add("<=", *c.max, "");
  if (c.min_vs_reference) add(">=", ref + *c.min_vs_reference, " (reference + bound)");
  if (c.max_vs_reference) add("<=", ref + *c.max_vs_reference, " (reference + bound)");
  return s;
}

// Each constraint's value in this evaluation, e.g. "accuracy=0.7765 (ref 0.7785, >= 0.7735)".
std::string constraint_values(const dse::TuneSpec& spec, const std::map<std::string, double>& metrics,
                              const std::map<std::string, double>& reference) {
  std::string out;
  char b[160];
  for (const auto& c : spec.constraints) {
    const auto v = metrics.find(c.metric);
    const auto r = reference.find(c.metric);
    const double ref = r == reference.end() ? NAN : r->second;
    std::snprintf(b, sizeof b, "  %s=%.6g", c.metric.c_str(), v == metrics.end() ? NAN : v->second);
    out += b;
    if (std::isfinite(ref)) std::snprintf(b, sizeof b, " (ref %.6g, %s)", ref, bound_text(c, ref).c_str());
    else std::snprintf(b, sizeof b, " (%s)", bound_text(c, ref).c_str());
    out += b;
  }
  return out;
}

// A best value within 1% of its range's end may lie beyond it: say so, per parameter.
void flag_range_edges(const dse::TuneSpec& spec, const dse::TuneStep& b) {
  for (size_t k = 0; k < spec.params.size() && k < b.eval.x.size(); ++k) {
    const double u = b.eval.x[k];
    if (u > 0.01 && u < 0.99) continue;
    const auto& p = spec.params[k];
    std::printf("note: the best %s=%s is at the %s end of its range [%g, %g]: the optimum may lie beyond it; widen the range and tune again\n",
                p.key.c_str(), b.values[k].c_str(), u <= 0.01 ? "lower" : "upper", p.lo, p.hi);
  }
}

// The best point's objective and feasibility in-sample and on the held-out runs.
void print_held_out(const dse::TuneSpec& spec, const dse::TuneResult& r) {
  const auto& b = r.steps[static_cast<size_t>(r.best)];
  std::printf("%-10s %-24s %14s %9s\n", "", "seeds", spec.objective.c_str(), "feasible");
  std::printf("%-10s %-24s %14.6g %9s%s\n", "in-sample", dse::join_seeds(spec.tune_seeds).c_str(), b.metrics.at(spec.objective),
              b.eval.feasible() ? "yes" : "no", constraint_values(spec, b.metrics, r.reference).c_str());
  if (!r.has_held_out) return;
  const std::string seeds = dse::join_seeds(spec.held_out_seeds());
  const dse::HeldOut& h = r.held_out;
  if (!h.ok) {
    std::printf("%-10s %-24s failed: %s\n", "held-out", seeds.c_str(), h.error.c_str());
    return;
  }
  std::printf("%-10s %-24s %14.6g %9s%s\n", "held-out", seeds.c_str(), h.metrics.at(spec.objective),
              h.feasible() ? "yes" : "no", constraint_values(spec, h.metrics, h.reference).c_str());
  if (!spec.eval_set.empty()) {
    std::string set;
    for (const auto& o : spec.eval_set) set += (set.empty() ? "" : " ") + o;
    std::printf("%-10s with %s\n", "", set.c_str());
  }
  if (spec.held_out_seeds().size() > 1)
    for (size_t k = 0; k < spec.held_out_seeds().size(); ++k)
      std::printf("%-10s %-24s %14.6g\n", "", ("seed " + std::to_string(spec.held_out_seeds()[k])).c_str(), h.per_seed[k].at(spec.objective));
}

const bool registered = cli::register_command({"tune", "Tune parameters by Bayesian optimisation (GP, Matérn 5/2, expected improvement, constraints)",
  [](CLI::App& sub) {
    auto a = std::make_shared<TuneArgs>();
    sub.add_option("tune", a->file, "Tune YAML file")->required();
    sub.add_option("--out,-o", a->out, "JSON file for the best parameters and the history");
    sub.add_option("--method", a->method, "bayes or random (overrides the file)")->check(CLI::IsMember({"bayes", "random"}));
    sub.add_option("--budget", a->budget, "Evaluations (overrides the file)")->check(cli::whole_number(1, 100000, "evaluations"));
    sub.add_option("--batch", a->batch, "Evaluations proposed at once by the constant liar (default 1 locally, 8 with --executor slurm)")
        ->check(cli::whole_number(1, 100000, "evaluations proposed at once"));
    sub.add_option("--seed", a->seed, "Tuning seed: run.seed of every in-sample evaluation (0 to 2^62; overrides tune_seeds)");
    sub.add_option("--eval-seeds", a->eval_seeds, "Held-out seeds, comma-separated (e.g. 101,102,103; overrides eval_seeds): the best point is re-run on each");
    sub.add_option("--jobs,-j", a->jobs, "Simulations at a time, locally: a batch's evaluations times its seeds (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    sub.add_flag("--quiet,-q", a->quiet, "Print only the best point and its held-out check, not each evaluation");
    auto check_executor = cli::add_executor_options(sub, a->executor);
    return cli::Runner([a, check_executor] {
      dse::TuneSpec spec = dse::load_tune_spec(a->file);
      check_executor();
      if (!a->method.empty()) spec.method = a->method;
      if (a->budget > 0) spec.budget = a->budget;
      check_output_file(a->out);
      // Validate the overrides before forking: every parameter at both ends of
      // its range and the reference, then both again with the held-out
      // eval_set on top (the best point may sit at either end).
      auto check_all = [&](const std::vector<std::string>& extra) {
        auto with = [&](std::vector<std::string> o) {
          o.insert(o.end(), extra.begin(), extra.end());
          return o;
        };
        for (double end : {0.0, 1.0})
          dse::check_overrides(a->file, spec.base, with(spec.overrides_at(std::vector<double>(spec.params.size(), end))));
        if (spec.has_reference) dse::check_overrides(a->file, spec.base, with(spec.reference_overrides()));
      };
      check_all({});
      if (!spec.eval_set.empty()) check_all(spec.eval_set);
      resolve_seeds(*a, spec);
      if (!a->quiet) {
        std::printf("%-5s", "eval");
        for (const auto& p : spec.params) std::printf(" %22s", p.key.c_str());
        std::printf(" %14s %9s %14s%s\n", spec.objective.c_str(), "feasible", "best so far",
                    spec.constraints.empty() ? "" : "  constraints: value (reference, bound)");
      }
      dse::TuneExecution ex;
      ex.executor = a->executor;
      ex.jobs = a->jobs;
      ex.batch = a->batch > 0 ? a->batch : a->executor.kind == "slurm" ? 8 : 1;
      ex.slurm_dir = a->out + ".slurm";  // one job array folder per batch
      // The reference's metrics, for the constraint columns: run_tune runs it first.
      std::map<std::string, double> reference;
      dse::TuneResult r = dse::run_tune(spec, [&](const dse::TuneStep& s, size_t i) {
        if (a->quiet) return;
        std::printf("%-5zu", i);
        for (const auto& v : s.values) std::printf(" %22s", v.c_str());
        double obj = s.eval.ok ? (spec.maximize ? -1 : 1) * s.eval.objective : NAN;
        std::printf(" %14.4f %9s %14.4f%s\n", obj, s.eval.feasible() ? "yes" : "no", s.best_so_far,
                    s.eval.ok ? constraint_values(spec, s.metrics, reference).c_str() : ("  failed: " + s.eval.error).c_str());
        std::fflush(stdout);
      }, ex, &reference);
      write_file_atomic(a->out, dse::tune_json(spec, r));
      if (r.best < 0) {
        std::printf("no feasible point in %zu evaluations; history in %s\n", r.steps.size(), a->out.c_str());
        return 1;
      }
      const auto& b = r.steps[static_cast<size_t>(r.best)];
      std::printf("best (eval %d): ", r.best);
      for (size_t k = 0; k < spec.params.size(); ++k) std::printf("%s%s=%s", k ? " " : "", spec.params[k].key.c_str(), b.values[k].c_str());
      std::printf("  %s=%.6g; history in %s\n", spec.objective.c_str(), b.metrics.at(spec.objective), a->out.c_str());
      flag_range_edges(spec, b);
      print_held_out(spec, r);
      return r.has_held_out && !r.held_out.ok ? 1 : 0;
    });
  }});

}  // namespace
}  // namespace msao
