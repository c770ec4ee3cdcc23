// RunList, the compact run list of a sweep: every run it builds on demand is
// the run the sweep file describes (fixed overrides, then one per axis, then
// run.seed), its stored hash is the hash of exactly those overrides over the
// base file's bytes, and a configuration drawn twice is run once.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "sim/config/input_error.hpp"
#include "sim/dse/hash.hpp"
#include "sim/dse/sweep_runner.hpp"
#include "sim/dse/sweep_spec.hpp"

using namespace msao::dse;

namespace {

std::filesystem::path scratch() {
  auto dir = std::filesystem::temp_directory_path() / ("msao-runlist-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

SweepSpec spec_of(const std::string& name, const std::string& body) {
  const auto p = scratch() / name;
  std::ofstream(p) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n" << body;
  return load_sweep_spec(p.string());
}

// Each run as the sweep file says it, and its hash from those overrides.
void check_runs(const SweepSpec& spec) {
  const RunList list(spec);
  const std::string base = file_text(spec.base);
  const size_t d = spec.axes.size();
  for (size_t i = 0; i < list.size(); ++i) {
    const RunPoint r = list[i];
    CAPTURE(i);
    REQUIRE(r.overrides.size() == spec.set.size() + d + 1);
    for (size_t j = 0; j < spec.set.size(); ++j) CHECK(r.overrides[j] == spec.set[j]);
    REQUIRE(r.axis_values.size() == d);
    for (size_t k = 0; k < d; ++k) {
      CHECK(r.overrides[spec.set.size() + k] == spec.axes[k].key + "=" + r.axis_values[k]);
      CHECK(list.axis_value(i, k) == r.axis_values[k]);
    }
    CHECK(r.replica == static_cast<int>(i % static_cast<size_t>(spec.replicas)));
    CHECK(r.point == static_cast<int>(i / static_cast<size_t>(spec.replicas)));
    CHECK(r.seed == spec.seed + static_cast<uint64_t>(r.replica));
    CHECK(r.overrides.back() == "run.seed=" + std::to_string(r.seed));
    CHECK(r.hash == run_hash(base, r.overrides));
    CHECK(r.hash == hex64(list.hash(i)));
  }
}

}  // namespace

TEST_CASE("run list: grid runs, built on demand, are the sweep's runs with their hashes, last axis fastest") {
  const SweepSpec spec = spec_of("g.yaml",
                                 "set: [workload.requests=10, policy.type=msao]\nreplicas: 3\nseed: 40\naxes:\n"
                                 "  - key: workload.dataset\n    values: [vqav2, mmbench]\n"
                                 "  - key: policy.margin\n    range: {min: 0, max: 1, steps: 3}\n");
  const RunList list(spec);
  REQUIRE(list.size() == 2 * 3 * 3);
  check_runs(spec);
  // Point 4 = dataset 1, margin 1 (mixed radix 2 x 3).
  CHECK(list[4 * 3].axis_values == std::vector<std::string>{"mmbench", "0.5"});
  CHECK(list[4 * 3 + 2].seed == 42);
}

TEST_CASE("run list: zip, random and LHS runs are the sweep's runs with their hashes") {
  const char* axes =
      "axes:\n  - key: workload.dataset\n    values: [vqav2, mmbench, vqav2]\n"
      "  - key: policy.margin\n    range: {min: 0, max: 1, steps: 3}\n";
  check_runs(spec_of("z.yaml", std::string("mode: zip\nreplicas: 2\n") + axes));
  check_runs(spec_of("r.yaml", std::string("mode: random\nsamples: 7\nseed: 3\n") + axes));
  check_runs(spec_of("l.yaml", std::string("mode: lhs\nsamples: 7\nreplicas: 2\n") + axes));
}

TEST_CASE("run list: runs added whole keep their overrides, values and hash") {
  RunList list;
  RunPoint r;
  r.point = 0;
  r.axis_values = {"a"};
  r.overrides = {"workload.requests=5", "run.seed=1"};
  r.hash = run_hash("platform: {}", r.overrides);
  list.push_back(r);
  REQUIRE(list.size() == 1);
  CHECK(list[0].overrides == r.overrides);
  CHECK(list.axis_value(0, 0) == "a");
  CHECK(list.axis_value(0, 1).empty());
  CHECK(hex64(list.hash(0)) == r.hash);
}

TEST_CASE("run list: the load check reads the values of runs added whole, so a later run's bad value is caught") {
  // `msao reproduce` builds its plan from whole runs: each new axis value
  // must still bring its run to the load check, not only the first run.
  SweepPlan plan;
  plan.base = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
  plan.source = "test plan";
  plan.axes = {"policy.margin"};
  for (const char* v : {"0.1", "abc"}) {
    RunPoint r;
    r.axis_values = {v};
    r.overrides = {"policy.type=msao", std::string("policy.margin=") + v};
    r.hash = run_hash(file_text(plan.base), r.overrides);
    plan.runs.push_back(r);
  }
  CHECK_THROWS_AS(validate_plan(plan), msao::InputError);
}

TEST_CASE("run list: a configuration drawn twice is queued once, at its first draw") {
  // An integer axis of three values sampled 12 times: at most 3 distinct runs.
  const SweepSpec spec =
      spec_of("dup.yaml", "mode: random\nsamples: 12\nseed: 9\naxes:\n"
                          "  - key: workload.requests\n    range: {min: 10, max: 12, integer: true}\n");
  const SweepPlan plan = plan_from_spec(spec);
  const auto out = scratch() / "dup-out";
  std::filesystem::remove_all(out);
  const PreparedSweep s = prepare_sweep(plan, out.string(), false, false);
  std::set<std::string> first_seen;
  std::vector<size_t> expected;
  for (size_t i = 0; i < plan.runs.size(); ++i)
    if (first_seen.insert(plan.runs[i].hash).second) expected.push_back(i);
  CHECK(expected.size() <= 3);
  CHECK(expected.size() >= 2);  // seed 9 draws more than one value in 12 tries
  CHECK(s.todo == expected);
  CHECK(s.stats.total == 12);
  CHECK(s.stats.skipped == 12 - expected.size());
}
