// Sweep expansion: counts and determinism for grid, zip, random and
// Latin-hypercube sampling, replica seeds, config hashes, bad input, and
// list indices in --set paths (platform.edges.0.uplink.bandwidth).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "sim/config/input_error.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/dse/hash.hpp"
#include "sim/dse/sweep_runner.hpp"
#include "sim/dse/sweep_spec.hpp"
#include "sim/scenario/scenario.hpp"

using namespace msao;
using namespace msao::dse;

namespace {

std::string write_sweep(const std::string& name, const std::string& body) {
  auto dir = std::filesystem::temp_directory_path() / ("msao-dse-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n" << body;
  return p.string();
}

const char* kAxes =
    "axes:\n"
    "  - key: policy.type\n"
    "    values: [cloud-only, edge-only]\n"
    "  - key: platform.edges.0.uplink.bandwidth\n"
    "    range: {min: 10, max: 1000, steps: 3, scale: log, unit: Mbps}\n";

}  // namespace

TEST_CASE("grid sweep expands to the product of axes times replicas") {
  auto spec = load_sweep_spec(write_sweep("grid.yaml", std::string("replicas: 2\n") + kAxes));
  auto runs = expand(spec);
  REQUIRE(runs.size() == 2 * 3 * 2);
  CHECK(runs[0].axis_values == std::vector<std::string>{"cloud-only", "10Mbps"});
  CHECK(runs[2].axis_values == std::vector<std::string>{"cloud-only", "100Mbps"});
  CHECK(runs[4].axis_values == std::vector<std::string>{"cloud-only", "1000Mbps"});
  CHECK(runs[0].seed != runs[1].seed);
  std::set<std::string> hashes;
  for (const auto& r : runs) hashes.insert(r.hash);
  CHECK(hashes.size() == runs.size());
  auto again = expand(spec);
  for (size_t i = 0; i < runs.size(); ++i) CHECK(runs[i].hash == again[i].hash);
}

TEST_CASE("zip sweep pairs values and rejects unequal lengths") {
  auto spec = load_sweep_spec(write_sweep("zip.yaml",
                                          "mode: zip\naxes:\n  - key: workload.dataset\n    values: [vqav2, mmbench]\n"
                                          "  - key: platform.edges.0.uplink.bandwidth\n    values: [200Mbps, 400Mbps]\n"));
  auto runs = expand(spec);
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].axis_values == std::vector<std::string>{"mmbench", "400Mbps"});
  CHECK_THROWS_AS(load_sweep_spec(write_sweep("zipbad.yaml", std::string("mode: zip\n") + kAxes)), InputError);
}

TEST_CASE("random and LHS sweeps are seeded and deterministic") {
  for (const char* mode : {"random", "lhs"}) {
    std::string body = std::string("mode: ") + mode + "\nsamples: 10\nseed: 5\n" +
                       "axes:\n  - key: platform.edges.0.uplink.bandwidth\n    range: {min: 10, max: 1000, unit: Mbps}\n"
                       "  - key: workload.arrival.rate_rps\n    range: {min: 0.5, max: 4}\n";
    auto a = expand(load_sweep_spec(write_sweep("r1.yaml", body)));
    auto b = expand(load_sweep_spec(write_sweep("r2.yaml", body)));
    REQUIRE(a.size() == 10);
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].axis_values == b[i].axis_values);
    auto c = expand(load_sweep_spec(write_sweep("r3.yaml", std::string("mode: ") + mode + "\nsamples: 10\nseed: 6\n" + body.substr(body.find("axes:")))));
    CHECK(a[0].axis_values != c[0].axis_values);
  }
  // LHS puts exactly one sample in each tenth of every axis.
  auto l = expand(load_sweep_spec(write_sweep("lhs.yaml", "mode: lhs\nsamples: 10\naxes:\n  - key: workload.arrival.rate_rps\n    range: {min: 0, max: 10}\n")));
  std::set<int> strata;
  for (const auto& r : l) strata.insert(static_cast<int>(std::stod(r.axis_values[0])));
  CHECK(strata.size() == 10);
}

TEST_CASE("sweep files with bad input name the key") {
  CHECK_THROWS_AS(load_sweep_spec(write_sweep("b1.yaml", "mode: lhs\naxes:\n  - key: run.slo\n    values: [1s]\n")), InputError);
  CHECK_THROWS_AS(load_sweep_spec(write_sweep("b2.yaml", "axes:\n  - key: a.b\n")), InputError);
  CHECK_THROWS_AS(load_sweep_spec(write_sweep("b3.yaml", "axes: []\n")), InputError);
  CHECK_THROWS_AS(load_sweep_spec(write_sweep("b4.yaml", "axez: []\naxes:\n  - key: a\n    values: [1]\n")), InputError);
  try {
    load_sweep_spec(write_sweep("b5.yaml", "mode: grd\naxes:\n  - key: a\n    values: [1]\n"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("mode") != std::string::npos);
    CHECK(e.line() == 2);
  }
}

TEST_CASE("an axis value the base scenario rejects is reported against the sweep file") {
  const std::string path =
      write_sweep("b6.yaml", "axes:\n  - key: policy.type\n    values: [msao]\n  - key: policy.margin\n    values: [0.1, abc]\n");
  const SweepPlan plan = plan_from_spec(load_sweep_spec(path));
  try {
    validate_plan(plan);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == path);
    CHECK(e.key() == "policy.margin");
    CHECK(std::string(e.what()).find("'abc'") != std::string::npos);
  }
}

TEST_CASE("set paths index into lists") {
  std::string path = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";
  Scenario a = load_scenario(path, {"platform.edges.0.uplink.bandwidth=400Mbps"});
  Scenario b = load_scenario(path, {"platform.edges.0.uplink.bandwidth=200Mbps"});
  CHECK(a.resolved["platform"]["edges"][0]["uplink"]["bandwidth"].as<std::string>() !=
        b.resolved["platform"]["edges"][0]["uplink"]["bandwidth"].as<std::string>());
  CHECK_THROWS_AS(load_scenario(path, {"platform.edges.1.uplink.bandwidth=400Mbps"}), InputError);
  CHECK_THROWS_AS(load_scenario(path, {"platform.edges.x.uplink.bandwidth=400Mbps"}), InputError);
  YAML::Node n = YAML::Load("l: [1, 2, 3]");
  apply_override(n, "l.1=9");
  CHECK(n["l"][1].as<int>() == 9);
  CHECK(n["l"].size() == 3);
}

TEST_CASE("a run's hash is FNV-1a of the base's bytes and each override after a newline, as databases store it") {
  // The value of the whole concatenation, computed once by hand (Python):
  // a resumed sweep finds its finished runs only if this never changes.
  CHECK(run_hash("platform: {}", {"workload.requests=10", "run.seed=1"}) == "c31b17900585aa91");
  CHECK(run_hash("platform: {}", {"workload.requests=10", "run.seed=1"}) ==
        hex64(fnv1a64("platform: {}\nworkload.requests=10\nrun.seed=1")));
  CHECK(run_hash_after(fnv1a64("platform: {}"), {"workload.requests=10", "run.seed=1"}) == "c31b17900585aa91");
  CHECK(run_hash("", {}) == hex64(kFnv1a64Offset));
}
