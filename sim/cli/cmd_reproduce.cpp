// `msao reproduce paper [--out DIR] [--requests N] [--jobs N] [--no-plots] [--no-map] [-q]`:
// runs the paper's settings (sim/dse/paper_report.hpp) as a parallel sweep
// into DIR/results.sqlite, draws the figures through scripts/plot when
// Python with matplotlib is available (each from runs of one load, its data
// in a CSV beside it), runs the claims map (platforms/scenarios/sweep-claims.yaml
// into DIR/claims, drawn by scripts/claims-map) and the host-time
// sensitivity (DIR/host-sensitivity), and writes DIR/report.md: the claims
// with their bounds and where they hold, then the paper value, simulated
// value and difference of every reported figure, a link to every figure.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/wait.h>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/count_option.hpp"
#include "sim/cli/executor_options.hpp"
#include "sim/config/input_error.hpp"
#include "sim/dse/host_sensitivity.hpp"
#include "sim/dse/paper_report.hpp"
#include "sim/dse/sweep_lock.hpp"
#include "sim/util/atomic_file.hpp"
#include "workloads/workload_config.hpp"

namespace msao {
namespace {

struct ReproduceArgs {
  std::string what, out = "out/reproduce", scenario = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
  int requests = 0, jobs = 0;
  bool resume = false, no_plots = false, no_map = false, quiet = false;
  dse::ExecutorOptions executor;
};

const bool registered = cli::register_command({"reproduce", "Reproduce the paper's figures: runs, report.md and plots",
  [](CLI::App& sub) {
    auto a = std::make_shared<ReproduceArgs>();
    sub.add_option("what", a->what, "What to reproduce: paper")->required()->check(CLI::IsMember({"paper"}));
    sub.add_option("--out,-o", a->out, "Output directory");
    sub.add_option("--requests", a->requests, "Requests per run (default: the scenario's)")->check(cli::whole_number(1, kMaxRequests, "requests per run"));
    sub.add_option("--scenario", a->scenario, "Paper scenario file");
    sub.add_option("--jobs,-j", a->jobs, "Runs at a time (default: one per core)")->check(cli::jobs_validator());
    sub.add_flag("--resume", a->resume, "Keep finished runs already in DIR");
    sub.add_flag("--no-plots", a->no_plots, "Do not call scripts/plot (nor run the claims map)");
    sub.add_flag("--no-map", a->no_map, "Do not run the claims map (platforms/scenarios/sweep-claims.yaml)");
    sub.add_flag("--quiet,-q", a->quiet, "No progress bar");
    auto check_executor = cli::add_executor_options(sub, a->executor);
    return cli::Runner([a, check_executor] {
      namespace fs = std::filesystem;
      check_executor();
      std::vector<std::string> missing;
      dse::SweepPlan plan = dse::paper_plan(a->scenario, a->requests, missing);
      for (const auto& m : missing) std::fprintf(stderr, "note: policy '%s' is not registered in this build; skipped\n", m.c_str());
      if (plan.runs.empty()) throw InputError("command line", 0, "reproduce", "no paper policy registered", "at least one of cloud-only, edge-only, perllm, msao");
      dse::validate_plan(plan);
      // Held to the end: a second reproduce into DIR must not clear what this one writes.
      const auto lock = dse::lock_sweep_dir(a->out);
      fs::path db = fs::path(a->out) / "results.sqlite";
      if (!a->resume) {
        for (const char* ext : {"", "-wal", "-shm"}) fs::remove(db.string() + ext);
        fs::remove_all(fs::path(a->out) / "slurm");  // an earlier Slurm run's rows must not be merged into a fresh one
      }
      dse::SweepStats st = dse::run_sweep(plan, a->out, a->jobs, true, !a->quiet, false, a->executor);
      // Figures first, so the report links the ones drawn (scripts/plot
      // lists them, with captions, in figures/figures.tsv).
      const fs::path figs = fs::path(a->out) / "figures";
      fs::remove(figs / "figures.tsv");
      if (!a->no_plots) {
        std::string plot = std::string(MSAO_SOURCE_DIR) + "/scripts/plot";
        std::string cmd = "'" + plot + "' '" + db.string() + "' --out '" + figs.string() + "' --no-install >/dev/null";
        int rc = std::system(cmd.c_str());
        if (WIFEXITED(rc) && WEXITSTATUS(rc) == 3)
          std::fprintf(stderr, "note: python3-matplotlib/pandas not installed (scripts/setup installs them); run scripts/plot %s to draw the figures\n", db.c_str());
        else if (rc != 0)
          std::fprintf(stderr, "note: scripts/plot failed; the report is complete without figures\n");
      }
      // Where each claim holds: the claims-map sweep with its base set to this
      // scenario, drawn by scripts/claims-map (which also counts the cells).
      std::string holds_tsv;
      if (!a->no_plots && !a->no_map) {
        dse::SweepSpec spec = dse::load_sweep_spec(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/sweep-claims.yaml");
        spec.base = fs::absolute(a->scenario).string();
        if (a->requests > 0) spec.set.push_back("workload.requests=" + std::to_string(a->requests));
        dse::SweepPlan map = dse::plan_from_spec(spec);
        map.source = "msao reproduce paper (claims map)";
        const std::string map_dir = (fs::path(a->out) / "claims").string();
        if (!a->resume) fs::remove_all(map_dir);
        const dse::SweepStats ms = dse::run_sweep(map, map_dir, a->jobs, true, !a->quiet, false, a->executor);
        st.total += ms.total;
        st.failed += ms.failed;
        const std::string cmd = "'" + std::string(MSAO_SOURCE_DIR) + "/scripts/claims-map' '" + map_dir + "' >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0)
          std::fprintf(stderr, "note: scripts/claims-map failed; the report says where the claims hold without the map\n");
        holds_tsv = (fs::path(map_dir) / "claims-map" / "holds.tsv").string();
      }
      // The verdict's sensitivity to the host-time assumptions.
      const std::string host_dir = (fs::path(a->out) / "host-sensitivity").string();
      if (!a->resume) fs::remove_all(host_dir);
      const dse::SweepStats hs = dse::run_sweep(
          dse::host_sensitivity_plan(a->scenario, a->requests, (fs::path(host_dir) / "variants").string()), host_dir,
          a->jobs, true, !a->quiet, false, a->executor);
      st.total += hs.total;
      st.failed += hs.failed;
      const std::string host = dse::host_sensitivity_section((fs::path(host_dir) / "results.sqlite").string());
      std::vector<std::pair<std::string, std::string>> figures;
      std::ifstream manifest(figs / "figures.tsv");
      for (std::string line; std::getline(manifest, line);)
        if (auto tab = line.find('\t'); tab != std::string::npos)
          figures.push_back({"figures/" + line.substr(0, tab), line.substr(tab + 1)});
      std::string report = (fs::path(a->out) / "report.md").string();
      write_file_atomic(report, dse::paper_report(db.string(), a->scenario, a->requests, missing, figures, holds_tsv, host));
      std::printf("%zu runs (%zu failed); report in %s\n", st.total, st.failed, report.c_str());
      return st.failed ? 1 : 0;
    });
  }});

}  // namespace
}  // namespace msao
