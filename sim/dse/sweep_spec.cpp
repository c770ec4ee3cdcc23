#include "sim/dse/sweep_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "sim/config/yaml_section.hpp"
#include "sim/dse/hash.hpp"
#include "sim/dse/sampling.hpp"
#include "sim/policy/policy.hpp"

namespace msao::dse {
namespace {

// The override each run ends with, its replica's seed: run.seed=N.
constexpr const char* kSeedKey = "run.seed";

Axis read_axis(YamlSection a) {
  Axis ax;
  ax.key = a.str("key");
  if (a.has("values") == a.has("range")) a.fail("key", "'" + ax.key + "'", "exactly one of values or range");
  if (a.has("values")) {
    ax.values = a.strings("values");
    if (ax.values.size() == 1 && ax.values[0] == "all") {
      if (ax.key != "policy.type") a.fail("values", "'all'", "'all' only on key policy.type");
      ax.values.clear();
      for (const auto& p : all_policies()) ax.values.push_back(p.name);
    }
    if (ax.values.empty()) a.fail("values", "an empty list", "at least one value");
  } else {
    YamlSection r = a.child("range");
    ax.is_range = true;
    ax.lo = r.num("min");
    ax.hi = r.num("max", ax.lo);
    ax.steps = static_cast<int>(r.integer_or("steps", 0, 0, 1000000));
    ax.log_scale = r.choice("scale", {"linear", "log"}, "linear") == "log";
    if (ax.log_scale && ax.lo <= 0) r.fail("min", format_number(ax.lo), "a positive minimum on a log scale");
    ax.integer = r.flag_or("integer", false);
    ax.unit = r.str_or("unit", "");
    r.finish();
  }
  a.finish();
  return ax;
}

// Value of a range axis at fraction u in [0,1].
std::string range_value(const Axis& ax, double u) {
  double v = ax.log_scale ? std::exp(std::log(ax.lo) + u * (std::log(ax.hi) - std::log(ax.lo)))
                          : ax.lo + u * (ax.hi - ax.lo);
  char buf[400];
  if (ax.integer) {
    // Whole numbers in full: %.6g would write 1e+06, which integer keys reject.
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  } else {
    // Six significant digits: exp(log(10)) must read 10, not 10.000000000000002.
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf + ax.unit;
}

// Value of any axis at fraction u: ranges interpolate, value lists pick a bucket.
std::string axis_at(const Axis& ax, double u) {
  if (ax.is_range) return range_value(ax, u);
  size_t i = std::min(ax.values.size() - 1, static_cast<size_t>(u * static_cast<double>(ax.values.size())));
  return ax.values[i];
}

// Discrete values of an axis for grid and zip.
std::vector<std::string> grid_values(const Axis& ax) {
  if (!ax.is_range) return ax.values;
  std::vector<std::string> out;
  for (int i = 0; i < ax.steps; ++i) out.push_back(range_value(ax, ax.steps == 1 ? 0.0 : double(i) / (ax.steps - 1)));
  return out;
}

}  // namespace

std::string format_number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

SweepSpec load_sweep_spec(const std::string& path) {
  YamlSection top(load_yaml_map(path, "keys base, axes, mode, replicas"), path);
  SweepSpec s;
  s.file = path;
  s.base = top.file_path("base");
  if (top.has("set")) s.set = top.strings("set");
  std::string mode = top.choice("mode", {"grid", "zip", "random", "lhs"}, "grid");
  s.mode = mode == "grid" ? SampleMode::grid : mode == "zip" ? SampleMode::zip : mode == "random" ? SampleMode::random : SampleMode::lhs;
  bool sampled = s.mode == SampleMode::random || s.mode == SampleMode::lhs;
  s.samples = static_cast<int>(top.integer_or("samples", 0, 0, 10000000));
  if (sampled && s.samples == 0) top.fail("mode", "'" + mode + "' without samples", "samples: N (at least 1) for random or lhs");
  s.seed = static_cast<uint64_t>(top.integer_or("seed", 1, 0, (1LL << 53)));
  s.replicas = static_cast<int>(top.integer_or("replicas", 1, 1, 100000));
  s.run_timeout_s = top.quantity("run_timeout", "time", 600.0, 0.001);
  for (YamlSection a : top.list("axes")) s.axes.push_back(read_axis(a));
  if (s.axes.empty()) top.fail("axes", "an empty list", "at least one axis");
  for (size_t i = 0; i < s.axes.size(); ++i) {
    const Axis& ax = s.axes[i];
    if (ax.is_range && !sampled && ax.steps < 1)
      top.fail("axes", "range axis '" + ax.key + "' without steps", "range.steps >= 1 for grid or zip");
    if (ax.key == kSeedKey) top.fail("axes", "axis 'run.seed'", "replicas: N (seeds are derived per replica)");
    for (size_t j = 0; j < i; ++j)
      if (s.axes[j].key == ax.key) top.fail("axes", "key '" + ax.key + "' twice", "each key on one axis");
  }
  if (s.mode == SampleMode::zip)
    for (const auto& ax : s.axes)
      if (grid_values(ax).size() != grid_values(s.axes[0]).size())
        top.fail("axes", "axes of different lengths in zip mode", "every axis with as many values as '" + s.axes[0].key + "'");
  // The run list is built in memory: bound it before expand() tries.
  auto points = [](const Axis& ax) { return static_cast<double>(ax.is_range ? ax.steps : static_cast<int>(ax.values.size())); };
  double runs = sampled ? s.samples : s.mode == SampleMode::zip ? points(s.axes[0]) : 1.0;
  if (s.mode == SampleMode::grid)
    for (const auto& ax : s.axes) runs *= points(ax);
  runs *= s.replicas;
  if (runs > static_cast<double>(kMaxSweepRuns))
    top.fail("axes", format_number(runs) + " runs (points x replicas)",
             "at most " + std::to_string(kMaxSweepRuns) + " runs in one sweep: fewer steps, samples or replicas");
  top.finish();
  return s;
}

RunList::RunList(const SweepSpec& spec) : set_(spec.set), replicas_(std::max(spec.replicas, 1)), seed_(spec.seed) {
  const size_t d = spec.axes.size();
  for (const auto& ax : spec.axes) keys_.push_back(ax.key);
  values_.resize(d);
  strides_.assign(d, 1);
  size_t points = 0;
  if (spec.mode == SampleMode::grid) {
    // Point-major with the last axis fastest: each axis's stride is the
    // product of the lengths of the axes after it.
    points = 1;
    for (size_t k = d; k-- > 0;) {
      values_[k] = grid_values(spec.axes[k]);
      strides_[k] = points;
      points *= values_[k].size();
    }
  } else if (spec.mode == SampleMode::zip) {  // point p takes value p of every axis
    for (size_t k = 0; k < d; ++k) values_[k] = grid_values(spec.axes[k]);
    points = values_[0].size();
  } else {  // one value per sample and axis: point p takes value p
    std::mt19937_64 rng(spec.seed);
    points = static_cast<size_t>(spec.samples);
    for (size_t k = 0; k < d; ++k) {
      values_[k].reserve(points);
      if (spec.mode == SampleMode::random) {
        for (size_t i = 0; i < points; ++i) values_[k].push_back(axis_at(spec.axes[k], unit(rng)));
      } else {  // Latin hypercube: one sample per stratum on every axis, strata shuffled per axis
        for (double u : latin_hypercube_axis(points, rng)) values_[k].push_back(axis_at(spec.axes[k], u));
      }
    }
  }
  // The hash streams what operator[] would build: the base's bytes, then
  // "\n" + each override (sim/dse/hash.hpp), the shared prefix once.
  const uint64_t after_set = run_hash_value(fnv1a64(file_text(spec.base)), set_);
  hashes_.reserve(points * static_cast<size_t>(replicas_));
  for (size_t p = 0; p < points; ++p) {
    uint64_t h = after_set;
    for (size_t k = 0; k < d; ++k) h = hash_override(h, keys_[k], value(p, k));
    for (int r = 0; r < replicas_; ++r)
      hashes_.push_back(hash_override(h, kSeedKey, std::to_string(seed_ + static_cast<uint64_t>(r))));
  }
}

const std::string& RunList::axis_value(size_t i, size_t k) const {
  static const std::string none;
  if (!whole_.empty()) return k < whole_[i].axis_values.size() ? whole_[i].axis_values[k] : none;
  return k < keys_.size() ? value(point_of(i), k) : none;
}

RunPoint RunList::operator[](size_t i) const {
  if (!whole_.empty()) return whole_[i];
  const size_t d = keys_.size(), p = point_of(i);
  RunPoint rp;
  rp.point = static_cast<int>(p);
  rp.replica = static_cast<int>(i % static_cast<size_t>(replicas_));
  rp.seed = seed_ + static_cast<uint64_t>(rp.replica);
  rp.overrides.reserve(set_.size() + d + 1);
  rp.overrides = set_;
  for (size_t k = 0; k < d; ++k) {
    rp.axis_values.push_back(value(p, k));
    rp.overrides.push_back(keys_[k] + "=" + rp.axis_values.back());
  }
  rp.overrides.push_back(std::string(kSeedKey) + "=" + std::to_string(rp.seed));
  rp.hash = hex64(hashes_[i]);
  return rp;
}

size_t RunList::index_of(int point, int replica) const {
  if (point < 0 || replica < 0) return size();
  if (!whole_.empty()) {
    for (size_t i = 0; i < whole_.size(); ++i)
      if (whole_[i].point == point && whole_[i].replica == replica) return i;
    return size();
  }
  if (replica >= replicas_) return size();
  const size_t i = static_cast<size_t>(point) * static_cast<size_t>(replicas_) + static_cast<size_t>(replica);
  return i < size() ? i : size();
}

void RunList::push_back(RunPoint run) {
  uint64_t h = 0;
  std::from_chars(run.hash.data(), run.hash.data() + run.hash.size(), h, 16);
  hashes_.push_back(h);
  whole_.push_back(std::move(run));
}

std::vector<RunPoint> expand(const SweepSpec& spec) {
  const RunList list(spec);
  std::vector<RunPoint> runs;
  runs.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) runs.push_back(list[i]);
  return runs;
}

}  // namespace msao::dse
