#include "sim/dse/tuner.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sim/util/proc_pool.hpp"
#include "sim/dse/run_metrics.hpp"
#include "sim/dse/seed_list.hpp"
#include "sim/dse/slurm_array.hpp"
#include "sim/dse/sweep_spec.hpp"
#include "sim/util/fork_call.hpp"

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
      if (ex_.jobs == 1 || overrides.size() == 1) {
        for (size_t i = 0; i < overrides.size(); ++i) out[i] = simulate(base_, overrides[i]);
        return out;
      }
      // Each result lands at its index, so the order the children end in changes nothing.
      run_parallel(overrides.size(), ex_.jobs, 0, [&](size_t i) { return encode(run_point(base_, overrides[i])); },
                   [&](const JobResult& j) {
                     if (j.fork.ok) read_payload(j.fork.out, out[j.index]);
                     else out[j.index].error = j.fork.out + " (exit status " + std::to_string(j.fork.status) + ")";
                   });
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

  // Each overrides list once per seed (all in one batch); each result is
  // the mean of every metric over the seeds, or the first failure. The
  // per-seed results go to per_seed when given.
  std::vector<SimResult> run_seeds(const std::vector<std::vector<std::string>>& overrides, const std::vector<uint64_t>& seeds,
                                   std::vector<std::vector<SimResult>>* per_seed = nullptr) {
    std::vector<std::vector<std::string>> all;
    for (const auto& o : overrides)
      for (uint64_t s : seeds) all.push_back(with_run_seed(o, s));
    std::vector<SimResult> runs = run(all), out(overrides.size());
    for (size_t i = 0; i < overrides.size(); ++i) {
      SimResult& m = out[i];
      m.ok = true;
      for (size_t k = 0; k < seeds.size() && m.ok; ++k) {
        const SimResult& r = runs[i * seeds.size() + k];
        if (!r.ok) m = {false, {}, "seed " + std::to_string(seeds[k]) + ": " + r.error};
        else
          for (const auto& [name, v] : r.metrics) m.metrics[name] += v / double(seeds.size());
      }
      if (per_seed) per_seed->emplace_back(runs.begin() + long(i * seeds.size()), runs.begin() + long((i + 1) * seeds.size()));
    }
    return out;
  }

 private:
  std::string base_;
  TuneExecution ex_;
  int batches_ = 0;
};

std::vector<double> violations(const TuneSpec& spec, const std::map<std::string, double>& metrics,
                               const std::map<std::string, double>& reference) {
  std::vector<double> v;
  for (const auto& c : spec.constraints) {
    double ref = reference.count(c.metric) ? reference.at(c.metric) : NAN;
    v.push_back(c.violation(metrics.at(c.metric), ref));
  }
  return v;
}

HeldOut run_held_out(const TuneSpec& spec, Simulator& sim, const std::vector<std::string>& best_overrides) {
  HeldOut h;
  std::vector<std::vector<std::string>> runs{best_overrides};
  if (spec.has_reference) runs.push_back(spec.reference_overrides());
  for (auto& o : runs) o.insert(o.end(), spec.eval_set.begin(), spec.eval_set.end());
  std::vector<std::vector<SimResult>> per_seed;
  std::vector<SimResult> r = sim.run_seeds(runs, spec.held_out_seeds(), &per_seed);
  for (const SimResult& x : r)
    if (!x.ok) {
      h.error = (&x == &r[0] ? "" : "the reference run: ") + x.error;
      return h;
    }
  h.ok = true;
  h.metrics = r[0].metrics;
  for (const SimResult& s : per_seed[0]) h.per_seed.push_back(s.metrics);
  if (spec.has_reference) h.reference = r[1].metrics;
  h.constraint_violations = violations(spec, h.metrics, h.reference);
  return h;
}

using Json = nlohmann::ordered_json;
Json json_num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json json_metrics(const std::map<std::string, double>& m) {
  Json o = Json::object();
  for (const auto& [k, v] : m) o[k] = json_num(v);
  return o;
}
Json json_violations(const std::vector<double>& v) {
  Json o = Json::array();
  for (double x : v) o.push_back(json_num(x));
  return o;
}

}  // namespace

bool HeldOut::feasible() const { return dse::feasible(ok, constraint_violations); }

TuneResult run_tune(const TuneSpec& spec, const std::function<void(const TuneStep&, size_t)>& on_step, const TuneExecution& ex,
                    std::map<std::string, double>* reference_out) {
  TuneResult res;
  Simulator sim(spec.base, ex);
  if (spec.tune_seeds.empty()) throw std::logic_error("run_tune: spec.tune_seeds not resolved");
  if (spec.has_reference) {
    SimResult r = sim.run_seeds({spec.reference_overrides()}, spec.tune_seeds).front();
    if (!r.ok) throw std::runtime_error("the reference run failed: " + r.error);
    res.reference = r.metrics;
    if (reference_out) *reference_out = res.reference;
  }
  BatchEvalFn f = [&](std::vector<Evaluation>& batch) {
    std::vector<std::vector<std::string>> overrides;
    for (const auto& e : batch) overrides.push_back(spec.overrides_at(e.x));
    std::vector<SimResult> results = sim.run_seeds(overrides, spec.tune_seeds);
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
        e.constraints = violations(spec, st.metrics, res.reference);
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
  if (res.best >= 0 && spec.has_held_out()) {
    res.has_held_out = true;
    res.held_out = run_held_out(spec, sim, spec.overrides_at(h[static_cast<size_t>(res.best)].x));
  }
  return res;
}

std::string tune_json(const TuneSpec& spec, const TuneResult& r) {
  auto params = [&](const TuneStep& st) {
    Json p = Json::object();
    for (size_t k = 0; k < spec.params.size(); ++k) p[spec.params[k].key] = st.values[k];
    return p;
  };
  Json j;
  j["tune_file"] = spec.file;
  j["base"] = spec.base;
  j["method"] = spec.method;
  j["tune_seeds"] = spec.tune_seeds;
  j["eval_seeds"] = spec.eval_seeds;
  j["objective"] = spec.objective;
  j["goal"] = spec.maximize ? "maximize" : "minimize";
  j["constraints"] = Json::array();
  for (const auto& c : spec.constraints) j["constraints"].push_back(c.describe());
  j["reference"] = json_metrics(r.reference);
  if (r.best < 0) {
    j["best"] = nullptr;
  } else {
    const TuneStep& b = r.steps[static_cast<size_t>(r.best)];
    j["best"] = {{"eval", r.best}, {"params", params(b)}, {"metrics", json_metrics(b.metrics)}};
  }
  if (!r.has_held_out) {
    j["held_out"] = nullptr;
  } else {
    const HeldOut& h = r.held_out;
    Json o;
    o["seeds"] = spec.held_out_seeds();
    o["set"] = spec.eval_set;
    o["ok"] = h.ok;
    if (!h.ok) o["error"] = h.error;
    o["feasible"] = h.feasible();
    o["objective"] = json_num(h.ok ? h.metrics.at(spec.objective) : NAN);
    o["constraint_violations"] = json_violations(h.constraint_violations);
    o["metrics"] = json_metrics(h.metrics);
    o["reference"] = json_metrics(h.reference);
    o["per_seed"] = Json::array();
    for (size_t k = 0; k < h.per_seed.size(); ++k)
      o["per_seed"].push_back({{"seed", spec.held_out_seeds()[k]}, {"metrics", json_metrics(h.per_seed[k])}});
    j["held_out"] = o;
  }
  j["history"] = Json::array();
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const TuneStep& st = r.steps[i];
    Json o;
    o["eval"] = i;
    o["params"] = params(st);
    o["ok"] = st.eval.ok;
    o["feasible"] = st.eval.feasible();
    o["objective"] = json_num(st.eval.ok ? (spec.maximize ? -1 : 1) * st.eval.objective : NAN);
    o["best_so_far"] = json_num(st.best_so_far);
    o["constraint_violations"] = json_violations(st.eval.constraints);
    if (!st.eval.ok) o["error"] = st.eval.error;
    j["history"].push_back(o);
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";  // bytes that are not UTF-8 become U+FFFD
}

}  // namespace msao::dse
