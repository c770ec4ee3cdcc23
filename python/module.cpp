// _msao: the C++ core as the Python package `msao` sees it (python/msao/
// wraps it in DataFrames). Every simulation runs in a forked child, as
// `msao compare` and sweeps do, because SimGrid allows one engine per
// process and cannot be reset; the interpreter itself never starts one.
// Inputs are validated here, in the parent, before anything is forked, so
// bad input raises msao.InputError with the CLI's one-line message.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "python/mas_bindings.hpp"
#include "sim/cli/command_registry.hpp"
#include "sim/cli/count_option.hpp"
#include "sim/cli/listers.hpp"
#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"
#include "sim/dse/results_db.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/dse/sweep_runner.hpp"
#include "sim/util/atomic_file.hpp"
#include "sim/metrics/outputs.hpp"
#include "sim/version.hpp"
#include "sim/run/run_outputs.hpp"
#include "sim/run/check_scenario.hpp"
#include "sim/run/compare_policies.hpp"
#include "sim/util/fork_call.hpp"

namespace py = pybind11;

namespace msao {
namespace {

// A child's InputError, rebuilt in the parent from its one-line message.
struct ChildInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Several strings through one pipe: each as "<length>\n<bytes>".
std::string pack(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += std::to_string(p.size()) + '\n' + p;
  return s;
}

std::vector<std::string> unpack(const std::string& s) {
  std::vector<std::string> parts;
  for (size_t at = 0; at < s.size();) {
    const size_t nl = s.find('\n', at);
    const size_t len = std::stoull(s.substr(at, nl - at));
    parts.push_back(s.substr(nl + 1, len));
    at = nl + 1 + len;
  }
  return parts;
}

std::string forked(const std::function<std::string()>& body) {
  ForkResult r;
  {
    py::gil_scoped_release nogil;  // the child never touches Python objects
    r = fork_call(body);
  }
  if (r.status == kInputErrorExit) throw ChildInputError(r.out);
  if (!r.ok) throw std::runtime_error("simulation failed (exit status " + std::to_string(r.status) + "): " + r.out);
  return r.out;
}

// Python strings may hold a NUL, which C++ keeps and the system reads as
// the end: run("a.yaml\0junk") would run a.yaml. `what` names the argument.
void check_no_nul(const std::string& what, const std::string& text) {
  const size_t at = text.find('\0');
  if (at != std::string::npos)
    throw InputError(what, 0, "", "a NUL character at byte " + std::to_string(at) + " of '" + text + "'",
                     "text without NUL characters");
}

void check_no_nul(const std::string& what, const std::vector<std::string>& texts) {
  for (const auto& t : texts) check_no_nul(what, t);
}

// jobs= as --jobs takes it (the same bound and words), whatever the size
// of the Python int.
int jobs_arg(const py::int_& jobs) {
  const std::string text = py::str(static_cast<const py::handle&>(jobs));
  const auto v = cli::whole_number_in(text, 0, cli::kMaxJobs);
  if (!v) throw InputError("jobs", 0, "", "'" + text + "'", cli::jobs_expected());
  return static_cast<int>(*v);
}

std::string read_and_remove(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  ::unlink(path.c_str());
  return ss.str();
}

// Returns [requests.csv, summary.json, scenario.resolved.yaml, timeline JSON or "", iterations.csv],
// the exact text `msao run` writes; with out, the files are written there too.
std::vector<std::string> run(const std::string& scenario, const std::vector<std::string>& sets, bool timeline,
                             const std::string& out) {
  check_no_nul("scenario", scenario);
  check_no_nul("set", sets);
  check_no_nul("out", out);
  const Scenario sc = load_scenario(scenario, sets);
  if (!out.empty()) check_outputs(out);
  return unpack(forked([&] {
    RunOptions opt;
    if (timeline) {
      char tmpl[] = "/tmp/msao-timeline-XXXXXX";
      const int fd = mkstemp(tmpl);
      if (fd < 0) throw std::runtime_error("cannot create a temporary timeline file in /tmp");
      ::close(fd);
      opt.timeline_path = tmpl;
    }
    const RunOutput o = run_scenario(sc, opt);
    if (!out.empty()) write_outputs(out, sc, o);
    return pack({requests_csv(o.sim.records), summary_json(o.summary), resolved_yaml(sc),
                 timeline ? read_and_remove(opt.timeline_path) : std::string(), iterations_csv(o.sim.cloud_iteration_log, o.sim.cloud_replica_gpus)});
  }));
}

// `msao check`: every check run makes, no simulation (so no fork); the resolved configuration.
std::string check(const std::string& scenario, const std::vector<std::string>& sets) {
  check_no_nul("scenario", scenario);
  check_no_nul("set", sets);
  const Scenario sc = load_scenario(scenario, sets);
  check_scenario(sc);
  return resolved_yaml(sc);
}

std::string compare(const std::string& scenario, const std::vector<std::string>& policies,
                    const std::vector<std::string>& sets, const py::int_& jobs, const std::string& out) {
  check_no_nul("scenario", scenario);
  check_no_nul("policies", policies);
  check_no_nul("set", sets);
  check_no_nul("out", out);
  std::vector<PolicyOutcome> outcomes;
  {
    CompareRequest req{scenario, policies, sets, jobs_arg(jobs), out};
    load_scenario(scenario, sets);  // raises here, holding the GIL
    py::gil_scoped_release nogil;
    outcomes = compare_policies(req);
  }
  for (const auto& o : outcomes) {
    if (o.ok) continue;
    const std::string msg = "policy " + o.policy + ": " + o.error;
    if (o.status == kInputErrorExit) throw ChildInputError(msg);
    throw std::runtime_error(msg);
  }
  return compare_csv(outcomes);
}

// Runs the sweep into OUT/results.sqlite and returns its export (the CSV
// `msao sweep export` writes) and the counts.
py::tuple sweep(const std::string& spec_path, const std::string& out, const py::int_& jobs_value, bool resume,
                bool progress, bool allow_base_change) {
  check_no_nul("spec", spec_path);
  check_no_nul("out", out);
  const int jobs = jobs_arg(jobs_value);
  dse::SweepPlan plan = dse::plan_from_spec(dse::load_sweep_spec(spec_path));
  dse::validate_plan(plan);
  dse::SweepStats st;
  {
    py::gil_scoped_release nogil;
    st = dse::run_sweep(plan, out, jobs, resume, progress, allow_base_change);
  }
  return py::make_tuple(dse::export_csv(out + "/results.sqlite"), st.total, st.ok, st.failed, st.skipped);
}

// Runs `msao ARGS...` in a child and returns what it printed on std::cout
// (msao.cost uses `cost ... --json`), so the Python call shares the
// command's validation and output exactly.
std::string run_command(const std::vector<std::string>& args) {
  check_no_nul("args", args);
  return forked([&] {
    CLI::App app{"msao"};
    app.require_subcommand(1);
    std::vector<std::pair<CLI::App*, cli::Runner>> runners;
    for (const auto& c : cli::commands()) {
      CLI::App* sub = app.add_subcommand(c.name, c.description);
      runners.emplace_back(sub, c.setup(*sub));
    }
    std::vector<std::string> rev(args.rbegin(), args.rend());  // CLI11 takes the arguments reversed
    try {
      app.parse(rev);
    } catch (const CLI::ParseError& e) {
      throw InputError("command line", 0, "", e.what(), "arguments that `msao " + args.at(0) + " --help` lists");
    }
    std::ostringstream os;
    std::streambuf* old = std::cout.rdbuf(os.rdbuf());
    int rc = 0;
    for (auto& [sub, runner] : runners)
      if (sub->parsed()) rc = runner();
    std::cout.rdbuf(old);
    if (rc != 0) throw std::runtime_error("msao " + args.at(0) + " exited " + std::to_string(rc));
    return os.str();
  });
}

// The catalogs, as `msao list hardware | models | serving` print them, one dict per entry.
py::list list_hardware() {
  py::list out;
  for (const auto& n : cost::list_hardware()) {
    const cost::Hardware h = cost::load_hardware(n);
    out.append(py::dict(py::arg("name") = n, py::arg("tflops") = h.flops / 1e12, py::arg("mem_bw_gb_s") = h.mem_bw / 1e9,
                        py::arg("mem_gb") = h.mem_bytes / 1e9, py::arg("eff_compute") = h.eff_compute,
                        py::arg("eff_memory") = h.eff_memory, py::arg("idle_w") = h.idle_w, py::arg("busy_w") = h.busy_w,
                        py::arg("description") = h.description));
  }
  return out;
}

py::list list_models() {
  py::list out;
  for (const auto& n : cost::list_models()) {
    const cost::ModelSpec m = cost::load_model(n);
    const cli::ModelSizes z = cli::model_sizes(n);
    out.append(py::dict(py::arg("name") = n, py::arg("precision") = cost::precision_name(m.precision),
                        py::arg("weights_gb") = z.weight_bytes / 1e9, py::arg("kv_kb_per_token") = z.kv_bytes_per_token / 1e3,
                        py::arg("modalities") = z.modalities, py::arg("description") = m.description));
  }
  return out;
}

py::list list_serving() {
  py::list out;
  for (const auto& n : cost::list_serving()) {
    const cost::ServingProfile p = cost::load_serving(n);
    out.append(py::dict(py::arg("name") = n, py::arg("continuous_batching") = p.continuous_batching,
                        py::arg("layer_dispatch_ms") = p.host.decoder_layer_s * 1e3,
                        py::arg("encoder_layer_dispatch_ms") = p.host.encoder_layer_s * 1e3,
                        py::arg("multimodal_step_dispatch_ms") = p.host.multimodal_step_s * 1e3, py::arg("runtime_gb") = p.runtime_mem_bytes / 1e9,
                        py::arg("description") = p.description));
  }
  return out;
}

py::list list_policies() {
  py::list out;
  for (const auto& p : all_policies()) {
    py::list params;
    for (const auto& ps : p.params)
      params.append(py::dict(py::arg("name") = ps.name, py::arg("default") = ps.dflt, py::arg("min") = ps.lo,
                             py::arg("max") = ps.hi, py::arg("help") = ps.help));
    out.append(py::dict(py::arg("name") = p.name, py::arg("description") = p.description, py::arg("params") = params));
  }
  return out;
}

}  // namespace
}  // namespace msao

PYBIND11_MODULE(_msao, m) {
  m.doc() = "MSAO-Sim's C++ core (use the msao package, not this module)";
  static py::exception<msao::ChildInputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const msao::InputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    } catch (const msao::ChildInputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    }
  });
  m.def("run", &msao::run, py::arg("scenario"), py::arg("sets"), py::arg("timeline"), py::arg("out"));
  m.def("check", &msao::check, py::arg("scenario"), py::arg("sets"));
  m.def("compare", &msao::compare, py::arg("scenario"), py::arg("policies"), py::arg("sets"), py::arg("jobs"),
        py::arg("out"));
  m.def("sweep", &msao::sweep, py::arg("spec"), py::arg("out"), py::arg("jobs"), py::arg("resume"),
        py::arg("progress"), py::arg("allow_base_change"));
  m.def("cli", &msao::run_command, py::arg("args"));
  m.def("list_policies", &msao::list_policies);
  m.def("export_csv", &msao::dse::export_csv, py::arg("db"));
  m.def("list_hardware", &msao::list_hardware);
  m.def("list_models", &msao::list_models);
  m.def("list_serving", &msao::list_serving);
  m.attr("__version__") = msao::version();
  m.attr("git_commit") = msao::git_commit();
  msao::bind_mas(m);
}
