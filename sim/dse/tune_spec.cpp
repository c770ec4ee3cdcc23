#include "sim/dse/tune_spec.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "sim/config/yaml_section.hpp"
#include "sim/dse/run_metrics.hpp"
#include "sim/dse/seed_list.hpp"

namespace msao::dse {

double TuneParam::number_at(double u) const {
  double v = log_scale ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
  return integer ? std::round(v) : v;
}

std::string TuneParam::value_at(double u) const {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", number_at(u));
  return b + unit;
}

double TuneConstraint::violation(double v, double ref) const {
  double c = -INFINITY;
  if (min) c = std::max(c, *min - v);
  if (max) c = std::max(c, v - *max);
  if (min_vs_reference) c = std::max(c, ref + *min_vs_reference - v);
  if (max_vs_reference) c = std::max(c, v - (ref + *max_vs_reference));
  return std::isnan(v) ? 1.0 : c;
}

std::string TuneConstraint::describe() const {
  char b[256];
  std::string s = metric;
  if (min) std::snprintf(b, sizeof b, " >= %g", *min), s += b;
  if (max) std::snprintf(b, sizeof b, " <= %g", *max), s += b;
  if (min_vs_reference) std::snprintf(b, sizeof b, " >= reference %+g", *min_vs_reference), s += b;
  if (max_vs_reference) std::snprintf(b, sizeof b, " <= reference %+g", *max_vs_reference), s += b;
  return s;
}

namespace {

std::string metric_choice(YamlSection& s, const std::string& key) {
  std::string m = s.str(key);
  std::string all;
  for (const auto& n : metric_names()) {
    if (n == m) return m;
    all += (all.empty() ? "" : ", ") + n;
  }
  s.fail(key, "'" + m + "'", "a summary metric: " + all);
}

std::vector<uint64_t> seed_list(YamlSection& s, const std::string& key) {
  std::string bad;
  auto seeds = parse_seed_list(s.strings(key), bad);
  if (!seeds) s.fail(key, bad, kSeedListExpected);
  return *seeds;
}

}  // namespace

TuneSpec load_tune_spec(const std::string& path) {
  YamlSection top(load_yaml_map(path, "keys base, params, objective"), path);
  TuneSpec t;
  t.file = path;
  t.base = top.file_path("base");
  if (top.has("set")) t.set = top.strings("set");
  for (YamlSection p : top.list("params")) {
    TuneParam tp;
    tp.key = p.str("key");
    tp.lo = p.num("min");
    tp.hi = p.num("max", tp.lo);
    tp.log_scale = p.choice("scale", {"linear", "log"}, "linear") == "log";
    if (tp.log_scale && tp.lo <= 0) p.fail("min", std::to_string(tp.lo), "a positive minimum on a log scale");
    tp.integer = p.flag_or("integer", false);
    tp.unit = p.str_or("unit", "");
    p.finish();
    t.params.push_back(tp);
  }
  if (t.params.empty()) top.fail("params", "an empty list", "at least one parameter");
  {
    YamlSection o = top.child("objective");
    t.objective = metric_choice(o, "metric");
    t.maximize = o.choice("goal", {"minimize", "maximize"}, "minimize") == "maximize";
    o.finish();
  }
  bool needs_ref = false;
  for (YamlSection c : top.list("constraints", true)) {
    TuneConstraint tc;
    tc.metric = metric_choice(c, "metric");
    if (c.has("min")) tc.min = c.num("min");
    if (c.has("max")) tc.max = c.num("max");
    if (c.has("min_vs_reference")) tc.min_vs_reference = c.num("min_vs_reference");
    if (c.has("max_vs_reference")) tc.max_vs_reference = c.num("max_vs_reference");
    if (!tc.min && !tc.max && !tc.min_vs_reference && !tc.max_vs_reference)
      c.fail("metric", "'" + tc.metric + "' without a bound", "min, max, min_vs_reference or max_vs_reference");
    needs_ref |= tc.min_vs_reference || tc.max_vs_reference;
    c.finish();
    t.constraints.push_back(tc);
  }
  if (top.has("reference")) {
    YamlSection r = top.child("reference");
    t.reference_set = r.strings("set");
    r.finish();
    t.has_reference = true;
  }
  if (needs_ref && !t.has_reference)
    top.fail("constraints", "a constraint relative to a reference", "a reference: {set: [...]} section naming the reference run");
  t.budget = static_cast<int>(top.integer_or("budget", 30, 1, 100000));
  t.initial = static_cast<int>(top.integer_or("initial", 0, 0, 100000));
  t.seed = static_cast<uint64_t>(top.integer_or("seed", 1, 0, 1LL << 53));
  t.method = top.choice("method", {"bayes", "random"}, "bayes");
  if (top.has("tune_seeds")) t.tune_seeds = seed_list(top, "tune_seeds");
  if (top.has("eval_seeds")) t.eval_seeds = seed_list(top, "eval_seeds");
  if (top.has("eval_set")) t.eval_set = top.strings("eval_set");
  for (uint64_t s : t.eval_seeds)
    if (std::find(t.tune_seeds.begin(), t.tune_seeds.end(), s) != t.tune_seeds.end())
      top.fail("eval_seeds", "seed " + std::to_string(s) + ", also in tune_seeds", "held-out seeds distinct from the tuning seeds");
  top.finish();
  return t;
}

std::vector<std::string> TuneSpec::values_at(const std::vector<double>& u) const {
  std::vector<std::string> v;
  for (size_t k = 0; k < params.size(); ++k) v.push_back(params[k].value_at(u[k]));
  return v;
}

std::vector<std::string> TuneSpec::overrides_at(const std::vector<double>& u) const {
  auto ov = set;
  const auto v = values_at(u);
  for (size_t k = 0; k < params.size(); ++k) ov.push_back(params[k].key + "=" + v[k]);
  return ov;
}

std::vector<std::string> TuneSpec::reference_overrides() const {
  auto ov = set;
  ov.insert(ov.end(), reference_set.begin(), reference_set.end());
  return ov;
}

std::vector<std::string> with_run_seed(std::vector<std::string> overrides, uint64_t seed) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  return overrides;
}

}  // namespace msao::dse
