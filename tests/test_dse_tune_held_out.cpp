// `msao tune` with tuning and held-out seeds: the same seed gives
// the same bytes; every figure it reports is the figure a separate `msao run`
// of those parameters with that seed (and the held-out eval_set) gives,
// in-sample and held-out; the held-out figure is the mean over the held-out
// seeds; bad seed values exit 2 naming the key or flag.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using msao::test::run_msao;
using msao::test::slurp;
using msao::test::spit;
namespace fs = std::filesystem;

namespace {

const std::string kQuick = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";

fs::path scratch() {
  fs::path d = fs::temp_directory_path() / ("msao-tune-held-out-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

// A tune of `budget` random-search points on 40 quickstart requests, in its own file.
std::string tune_file(const std::string& name, const std::string& extra, int budget = 3) {
  const fs::path f = scratch() / (name + ".yaml");
  spit(f.string(), "base: " + kQuick +
                       "\nset: [policy.type=msao, workload.requests=40]\n"
                       "params:\n  - {key: policy.confidence, min: 0.3, max: 1.0}\n"
                       "objective: {metric: latency_ms_mean, goal: minimize}\n"
                       "budget: " + std::to_string(budget) + "\nmethod: random\n" + extra);
  return f.string();
}

// latency_ms.mean of `msao run` of the quickstart with the tune's set, the params, the seed and `extra`.
double run_latency_mean(const YAML::Node& params, const std::string& seed, const std::string& extra = "") {
  const fs::path out = scratch() / ("run-" + seed);
  fs::remove_all(out);
  std::string args = "run " + kQuick + " --quiet --out " + out.string() + " --seed " + seed +
                     " --set policy.type=msao --set workload.requests=40" + extra;
  for (auto it = params.begin(); it != params.end(); ++it)
    args += " --set " + it->first.as<std::string>() + "=" + it->second.as<std::string>();
  auto r = run_msao(args);
  INFO(args << " -> " << r.out);
  REQUIRE(r.status == 0);
  return YAML::LoadFile((out / "summary.json").string())["latency_ms"]["mean"].as<double>();
}

}  // namespace

TEST_CASE("tune --seed is deterministic and its in-sample and held-out figures are those of msao run") {
  const std::string file = tune_file("held-out", "eval_seeds: [101, 102]\n");
  const std::string a = (scratch() / "a.json").string(), b = (scratch() / "b.json").string();
  auto ra = run_msao("tune " + file + " --seed 5 --out " + a);
  auto rb = run_msao("tune " + file + " --seed 5 --out " + b);
  INFO(ra.out);
  REQUIRE(ra.status == 0);
  REQUIRE(rb.status == 0);
  CHECK(ra.out.substr(0, ra.out.find("history in")) == rb.out.substr(0, rb.out.find("history in")));
  CHECK(slurp(a) == slurp(b));
  CHECK(ra.out.find("in-sample  5 ") != std::string::npos);
  CHECK(ra.out.find("held-out   101,102 ") != std::string::npos);

  const YAML::Node j = YAML::LoadFile(a);
  CHECK(j["tune_seeds"].size() == 1);
  CHECK(j["tune_seeds"][0].as<int>() == 5);
  const YAML::Node params = j["best"]["params"];
  // In-sample: the best point's figure is a run with the tuning seed.
  CHECK(j["best"]["metrics"]["latency_ms_mean"].as<double>() == run_latency_mean(params, "5"));
  // Held-out: each seed's figure is a run with that seed; the reported one is their mean.
  const YAML::Node h = j["held_out"];
  REQUIRE(h["ok"].as<bool>());
  const double s101 = run_latency_mean(params, "101"), s102 = run_latency_mean(params, "102");
  CHECK(h["per_seed"][0]["seed"].as<int>() == 101);
  CHECK(h["per_seed"][0]["metrics"]["latency_ms_mean"].as<double>() == s101);
  CHECK(h["per_seed"][1]["metrics"]["latency_ms_mean"].as<double>() == s102);
  CHECK(h["objective"].as<double>() == doctest::Approx((s101 + s102) / 2).epsilon(1e-12));
  CHECK(s101 != s102);  // the seeds give different workloads, so held-out is not in-sample again

  // --eval-seeds overrides the file's eval_seeds.
  auto rc = run_msao("tune " + file + " --seed 5 --eval-seeds 103 --out " + a);
  REQUIRE(rc.status == 0);
  const YAML::Node k = YAML::LoadFile(a);
  CHECK(k["eval_seeds"].size() == 1);
  CHECK(k["held_out"]["objective"].as<double>() == run_latency_mean(k["best"]["params"], "103"));
}

TEST_CASE("tune_seeds averages each evaluation over the tuning seeds") {
  const std::string file = tune_file("averaged", "tune_seeds: [7, 8]\n", 1);
  const std::string a = (scratch() / "avg.json").string();
  auto r = run_msao("tune " + file + " --out " + a);
  INFO(r.out);
  REQUIRE(r.status == 0);
  const YAML::Node j = YAML::LoadFile(a);
  CHECK(j["held_out"].IsNull());
  const YAML::Node params = j["best"]["params"];
  CHECK(j["best"]["metrics"]["latency_ms_mean"].as<double>() ==
        doctest::Approx((run_latency_mean(params, "7") + run_latency_mean(params, "8")) / 2).epsilon(1e-12));
}

TEST_CASE("eval_set: a held-out workload, on the tuning seed when no held-out seed is given") {
  const std::string file = tune_file("eval-set", "eval_set: [workload.dataset=mmbench]\n");
  const std::string a = (scratch() / "eval-set.json").string();
  auto r = run_msao("tune " + file + " --seed 9 --out " + a);
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("with workload.dataset=mmbench") != std::string::npos);
  const YAML::Node j = YAML::LoadFile(a);
  const YAML::Node h = j["held_out"];
  REQUIRE(h["ok"].as<bool>());
  CHECK(h["seeds"][0].as<int>() == 9);
  CHECK(h["set"][0].as<std::string>() == "workload.dataset=mmbench");
  const double mmbench = run_latency_mean(j["best"]["params"], "9", " --set workload.dataset=mmbench");
  CHECK(h["objective"].as<double>() == mmbench);
  CHECK(mmbench != j["best"]["metrics"]["latency_ms_mean"].as<double>());  // another workload than the in-sample one
}

TEST_CASE("bad tuning or held-out seeds exit 2 naming the key or flag") {
  const std::string out = " --out " + (scratch() / "bad.json").string();
  struct Case {
    std::string args, piece;
  };
  const std::vector<Case> cases = {
      {tune_file("bad1", "") + " --eval-seeds 101,x", "--eval-seeds"},
      {tune_file("bad2", "") + " --eval-seeds 101,,102", "--eval-seeds"},
      {tune_file("bad3", "") + " --eval-seeds 101,101", "--eval-seeds"},
      {tune_file("bad4", "") + " --seed 5 --eval-seeds 5", "--eval-seeds"},
      {tune_file("bad5", "eval_seeds: [5]\n") + " --seed 5", "--seed"},
      {tune_file("bad6", "eval_seeds: [1]\n"), "eval_seeds"},  // the base scenario's own seed, 1, is the tuning seed
      {tune_file("bad7", "") + " --seed -3", "--seed"},
      {tune_file("bad8", "eval_seeds: [-1]\n"), "eval_seeds"},
      {tune_file("bad9", "eval_seeds: []\n"), "eval_seeds"},
      {tune_file("bad10", "tune_seeds: [2, 3]\neval_seeds: [3]\n"), "eval_seeds"},
      {tune_file("bad11", "tune_seeds: 4611686018427387905\n"), "tune_seeds"},
      {tune_file("bad12", "eval_set: [workload.dataset=nope]\n"), "workload.dataset"},
  };
  for (const auto& c : cases) {
    auto r = run_msao("tune " + c.args + out);
    INFO(c.args << " -> " << r.out);
    CHECK(r.status == 2);
    CHECK(r.out.rfind("error: ", 0) == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    CHECK(r.out.find(c.piece) != std::string::npos);
  }
}
