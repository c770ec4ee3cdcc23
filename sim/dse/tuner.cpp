#include "sim/dse/tuner.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "sim/dse/run_metrics.hpp"
#include "sim/dse/slurm_array.hpp"
#include "sim/dse/sweep_spec.hpp"
#include "sim/run/fork_call.hpp"

namespace msao::dse {
namespace {

struct SimResult {
  bool ok = false;
  std::map<std::string, double> metrics;
  std::string error;
};

void read_payload(const std::string& payload, SimResult& r) {
  for (const auto& [k, v] : decode(payload).metrics) r.metrics[k] = v;
  r.ok = true;
}

// One simulation in a child; metrics by name, or the error text.
SimResult simulate(const std::string& base, const std::vector<std::string>& overrides) {
  SimResult res;
  ForkResult r = fork_call([&] { return encode(run_point(base, overrides)); });
  if (!r.ok) res.error = r.out + " (exit status " + std::to_string(r.status) + ")";
  else read_payload(r.out, res);
  return res;
}

// Simulations of one batch: here one after another, or as one Slurm job array.
class Simulator {
 public:
  Simulator(const std::string& base, const TuneExecution& ex) : base_(base), ex_(ex) {}
  std::vector<SimResult> run(const std::vector<std::vector<std::string>>& overrides) {
    std::vector<SimResult> out(overrides.size());
    if (ex_.executor.kind != "slurm") {
      for (size_t i = 0; i < overrides.size(); ++i) out[i] = simulate(base_, overrides[i]);
      return out;
    }
    std::vector<ArrayRun> runs;
    for (size_t i = 0; i < overrides.size(); ++i) runs.push_back({"eval-" + std::to_string(i), overrides[i]});
    ArrayCallbacks cb;
    cb.on_row = [&](size_t i, bool ok, const std::string& payload) {
      if (ok) read_payload(payload, out[i]);
      else out[i].error = payload;
    };
    const std::string dir = (std::filesystem::path(ex_.slurm_dir) / ("batch-" + std::to_string(++batches_))).string();
    std::filesystem::remove_all(dir);  // a batch of an earlier tune with this --out
    run_array(base_, 0, runs, dir, ex_.executor.slurm, cb);
    return out;
  }

 private:
  std::string base_;
  TuneExecution ex_;
  int batches_ = 0;
};

std::string json_num(double v) { return std::isfinite(v) ? format_number(v) : "null"; }
std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o + "\"";
}

}  // namespace

TuneResult run_tune(const TuneSpec& spec, const std::function<void(const TuneStep&, size_t)>& on_step, const TuneExecution& ex) {
  TuneResult res;
  Simulator sim(spec.base, ex);
  if (spec.has_reference) {
    SimResult r = sim.run({spec.reference_overrides()}).front();
    if (!r.ok) throw std::runtime_error("the reference run failed: " + r.error);
    res.reference = r.metrics;
  }
  BatchEvalFn f = [&](std::vector<Evaluation>& batch) {
    std::vector<std::vector<std::string>> overrides;
    for (const auto& e : batch) overrides.push_back(spec.overrides_at(e.x));
    std::vector<SimResult> results = sim.run(overrides);
    for (size_t i = 0; i < batch.size(); ++i) {
      Evaluation& e = batch[i];
      TuneStep st;
      st.values = spec.values_at(e.x);
      st.metrics = results[i].metrics;
      e.ok = results[i].ok;
      e.error = results[i].error;
      if (e.ok) {
        double v = st.metrics.at(spec.objective);
        e.ok = std::isfinite(v);
        if (!e.ok) e.error = spec.objective + " is not finite";
        e.objective = spec.maximize ? -v : v;
        for (const auto& c : spec.constraints) {
          double ref = res.reference.count(c.metric) ? res.reference.at(c.metric) : NAN;
          e.constraints.push_back(c.violation(st.metrics.at(c.metric), ref));
        }
      }
      st.eval = e;
      res.steps.push_back(std::move(st));
    }
  };
  ReportFn report = [&](size_t i, const Evaluation&, int best) {
    res.steps[i].best_so_far = best < 0 ? NAN : (spec.maximize ? -1 : 1) * res.steps[static_cast<size_t>(best)].eval.objective;
    if (on_step) on_step(res.steps[i], i);
  };
  BoOptions o;
  o.dim = static_cast<int>(spec.params.size());
  o.budget = spec.budget;
  o.initial = spec.initial;
  o.seed = spec.seed;
  o.batch = ex.batch;
  std::vector<Evaluation> h = spec.method == "random" ? random_search(o, f, report) : bayes_opt(o, f, report);
  res.best = best_index(h);
  return res;
}

std::string tune_json(const TuneSpec& spec, const TuneResult& r) {
  std::string j = "{\n  \"tune_file\": " + json_str(spec.file) + ",\n  \"base\": " + json_str(spec.base) +
                  ",\n  \"method\": " + json_str(spec.method) + ",\n  \"objective\": " + json_str(spec.objective) +
                  ",\n  \"goal\": " + json_str(spec.maximize ? "maximize" : "minimize") + ",\n  \"constraints\": [";
  for (size_t i = 0; i < spec.constraints.size(); ++i) j += (i ? ", " : "") + json_str(spec.constraints[i].describe());
  j += "],\n  \"reference\": {";
  bool first = true;
  for (const auto& [k, v] : r.reference) j += (first ? "" : ", ") + json_str(k) + ": " + json_num(v), first = false;
  j += "},\n  \"best\": ";
  auto params = [&](const TuneStep& s) {
    std::string p = "{";
    for (size_t k = 0; k < spec.params.size(); ++k) p += (k ? ", " : "") + json_str(spec.params[k].key) + ": " + json_str(s.values[k]);
    return p + "}";
  };
  auto step = [&](const TuneStep& s, size_t i) {
    std::string o = "{\"eval\": " + std::to_string(i) + ", \"params\": " + params(s) + ", \"ok\": " + (s.eval.ok ? "true" : "false") +
                    ", \"feasible\": " + (s.eval.feasible() ? "true" : "false") + ", \"objective\": " +
                    json_num(s.eval.ok ? (spec.maximize ? -1 : 1) * s.eval.objective : NAN) + ", \"best_so_far\": " +
                    json_num(s.best_so_far) + ", \"constraint_violations\": [";
    for (size_t c = 0; c < s.eval.constraints.size(); ++c) o += (c ? ", " : "") + json_num(s.eval.constraints[c]);
    o += "]";
    if (!s.eval.ok) o += ", \"error\": " + json_str(s.eval.error);
    return o + "}";
  };
  if (r.best < 0) {
    j += "null";
  } else {
    const TuneStep& b = r.steps[static_cast<size_t>(r.best)];
    j += "{\"eval\": " + std::to_string(r.best) + ", \"params\": " + params(b) + ", \"metrics\": {";
    first = true;
    for (const auto& [k, v] : b.metrics) j += (first ? "" : ", ") + json_str(k) + ": " + json_num(v), first = false;
    j += "}}";
  }
  j += ",\n  \"history\": [\n";
  for (size_t i = 0; i < r.steps.size(); ++i) j += "    " + step(r.steps[i], i) + (i + 1 < r.steps.size() ? ",\n" : "\n");
  return j + "  ]\n}\n";
}

}  // namespace msao::dse
