// `msao tune TUNE.yaml [--out FILE] [--method bayes|random] [--budget N]`:
// tunes policy (or any numeric) parameters by Bayesian optimisation, each
// evaluation a forked simulation (sim/dse/tuner.hpp). Prints the
// convergence as it goes and the best parameters at the end, and writes
// the whole history as JSON, atomically.
#include <cmath>
#include <cstdio>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/executor_options.hpp"
#include "sim/dse/check_overrides.hpp"
#include "sim/config/input_error.hpp"
#include "sim/dse/tuner.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao {
namespace {

struct TuneArgs {
  std::string file, out = "tune.json", method;
  int budget = 0, batch = 0;
  dse::ExecutorOptions executor;
};

const bool registered = cli::register_command({"tune", "Tune parameters by Bayesian optimisation (GP, Matérn 5/2, expected improvement, constraints)",
  [](CLI::App& sub) {
    auto a = std::make_shared<TuneArgs>();
    sub.add_option("tune", a->file, "Tune YAML file")->required();
    sub.add_option("--out,-o", a->out, "JSON file for the best parameters and the history (default tune.json)");
    sub.add_option("--method", a->method, "bayes or random (overrides the file)")->check(CLI::IsMember({"bayes", "random"}));
    sub.add_option("--budget", a->budget, "Evaluations (overrides the file)")->check(CLI::PositiveNumber);
    sub.add_option("--batch", a->batch, "Evaluations proposed at once by the constant liar (default 1 locally, 8 with --executor slurm)")
        ->check(CLI::PositiveNumber);
    auto check_executor = cli::add_executor_options(sub, a->executor);
    return cli::Runner([a, check_executor] {
      dse::TuneSpec spec = dse::load_tune_spec(a->file);
      check_executor();
      if (!a->method.empty()) spec.method = a->method;
      if (a->budget > 0) spec.budget = a->budget;
      check_output_file(a->out);
      // Validate the overrides at both ends of every range before forking.
      for (double end : {0.0, 1.0})
        dse::check_overrides(a->file, spec.base, spec.overrides_at(std::vector<double>(spec.params.size(), end)));
      if (spec.has_reference) dse::check_overrides(a->file, spec.base, spec.reference_overrides());
      std::printf("%-5s", "eval");
      for (const auto& p : spec.params) std::printf(" %22s", p.key.c_str());
      std::printf(" %14s %9s %14s\n", spec.objective.c_str(), "feasible", "best so far");
      dse::TuneExecution ex;
      ex.executor = a->executor;
      ex.batch = a->batch > 0 ? a->batch : a->executor.kind == "slurm" ? 8 : 1;
      ex.slurm_dir = a->out + ".slurm";  // one job array folder per batch
      dse::TuneResult r = dse::run_tune(spec, [&](const dse::TuneStep& s, size_t i) {
        std::printf("%-5zu", i);
        for (const auto& v : s.values) std::printf(" %22s", v.c_str());
        double obj = s.eval.ok ? (spec.maximize ? -1 : 1) * s.eval.objective : NAN;
        std::printf(" %14.4f %9s %14.4f%s\n", obj, s.eval.feasible() ? "yes" : "no", s.best_so_far,
                    s.eval.ok ? "" : ("  failed: " + s.eval.error).c_str());
        std::fflush(stdout);
      }, ex);
      write_file_atomic(a->out, dse::tune_json(spec, r));
      if (r.best < 0) {
        std::printf("no feasible point in %zu evaluations; history in %s\n", r.steps.size(), a->out.c_str());
        return 1;
      }
      const auto& b = r.steps[static_cast<size_t>(r.best)];
      std::printf("best (eval %d): ", r.best);
      for (size_t k = 0; k < spec.params.size(); ++k) std::printf("%s%s=%s", k ? " " : "", spec.params[k].key.c_str(), b.values[k].c_str());
      std::printf("  %s=%.6g; history in %s\n", spec.objective.c_str(), b.metrics.at(spec.objective), a->out.c_str());
      return 0;
    });
  }});

}  // namespace
}  // namespace msao
