// The scenario `workload:` section: keys parse with file/line errors, and
// each arrival process produces what it promises (Poisson rate, MMPP
// bursts, replayed timestamps, seeded think times), identically per seed.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/workload_test_util.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/workload_config.hpp"

using namespace msao;

namespace {

WorkloadConfig parse(const std::string& yaml, const std::string& file = "scenario.yaml") {
  YamlSection s(YAML::Load(yaml), file, "workload");
  return parse_workload(s);
}

}  // namespace

TEST_CASE("poisson arrivals have the configured rate per edge") {
  auto cfg = parse("{dataset: vqav2, requests: 20000, arrival: {type: poisson, rate_rps: 2}}");
  auto rs = materialize_workload(cfg, 1, 4);
  REQUIRE(rs.size() == 20000);
  // 4 edges x 2 rps = 8 rps overall: the last arrival near 2500 s (sd about 0.7%).
  CHECK(std::fabs(rs.back().arrival_s / 2500.0 - 1.0) < 0.03);
  std::vector<int> per_edge(4);
  for (size_t i = 1; i < rs.size(); ++i) CHECK(rs[i].arrival_s >= rs[i - 1].arrival_s);
  for (const auto& r : rs) ++per_edge[r.edge];
  for (int c : per_edge) CHECK(std::fabs(c / 5000.0 - 1.0) < 0.05);
  auto again = materialize_workload(cfg, 1, 4);
  CHECK(mas_trace_row(again[12345]) == mas_trace_row(rs[12345]));
}

TEST_CASE("round robin edges and start offset") {
  auto cfg = parse("{dataset: mmbench, requests: 10, edges: round_robin, arrival: {type: poisson, rate_rps: 1, start_s: 100}}");
  auto rs = materialize_workload(cfg, 1, 3);
  REQUIRE(rs.size() == 10);
  for (size_t i = 0; i < rs.size(); ++i) CHECK(rs[i].edge == int(i % 3));
  CHECK(rs.front().arrival_s > 100);
}

TEST_CASE("mmpp arrivals are burstier than poisson at the same mean rate") {
  // States 1 and 10 rps with dwell 20 s and 5 s: mean rate (20+50)/25 = 2.8 rps.
  auto cfg = parse("{dataset: vqav2, requests: 100000, arrival: {type: mmpp, rates_rps: [1, 10], mean_dwell_s: [20, 5]}}");
  auto rs = materialize_workload(cfg, 3, 1);
  const double span = rs.back().arrival_s;
  CHECK(std::fabs(100000.0 / span / 2.8 - 1.0) < 0.06);
  // Index of dispersion of counts in 1 s windows: 1 for Poisson, well above for MMPP.
  std::vector<double> counts(static_cast<size_t>(span) + 1);
  for (const auto& r : rs) counts[static_cast<size_t>(r.arrival_s)] += 1;
  double m = 0, v = 0;
  for (double c : counts) m += c;
  m /= double(counts.size());
  for (double c : counts) v += (c - m) * (c - m);
  v /= double(counts.size());
  CHECK(v / m > 3.0);
}

TEST_CASE("replay keeps trace timestamps and edges") {
  const std::string p = test::scratch_path("replay.csv");
  auto src = materialize_workload(parse("{dataset: video-qa, requests: 30, arrival: {type: poisson, rate_rps: 1}}"), 5, 2);
  write_mas_trace(p, src);
  auto cfg = parse("{source: trace, trace: " + p + ", requests: 20, arrival: {type: replay, start_s: 10}}");
  auto rs = materialize_workload(cfg, 99, 2);
  REQUIRE(rs.size() == 20);
  for (size_t i = 0; i < rs.size(); ++i) {
    CHECK(rs[i].arrival_s == doctest::Approx(src[i].arrival_s + 10));
    CHECK(rs[i].edge == src[i].edge);
  }
  CHECK_THROWS_AS(materialize_workload(cfg, 99, 1), InputError);  // trace has edge 1
  cfg.requests = 31;
  CHECK_THROWS_AS(materialize_workload(cfg, 99, 2), InputError);
}

TEST_CASE("trace path is resolved against the scenario folder") {
  // The trace must exist: a missing one is reported where the scenario names it.
  const auto root = std::filesystem::temp_directory_path() / ("msao-tracepath-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "a/b");
  std::filesystem::create_directories(root / "a/traces/mas");
  std::ofstream(root / "a/traces/mas/x.csv") << "";
  auto cfg = parse("{source: trace, trace: ../traces/mas/x.csv, arrival: {type: replay}}", (root / "a/b/scenario.yaml").string());
  CHECK(cfg.trace_path == (root / "a/traces/mas/x.csv").string());
  CHECK_THROWS_WITH_AS(parse("{source: trace, trace: ../traces/mas/y.csv, arrival: {type: replay}}", (root / "a/b/scenario.yaml").string()),
                       doctest::Contains("key 'workload.trace'"), InputError);
  std::filesystem::remove_all(root);
}

TEST_CASE("closed loop think times are seeded per user") {
  auto cfg = parse("{dataset: vqav2, requests: 10, arrival: {type: closed, users_per_edge: 4, think_s: 2}}");
  CHECK(cfg.arrival.users_per_edge == 4);
  ThinkTimeSampler a(cfg.arrival, 1, 0, 0), b(cfg.arrival, 1, 0, 0), c(cfg.arrival, 1, 0, 1);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) {
    double x = a.next();
    CHECK(x == b.next());
    sum += x;
  }
  CHECK(std::fabs(sum / 20000 - 2.0) < 0.1);
  CHECK(c.next() != ThinkTimeSampler(cfg.arrival, 1, 0, 0).next());
  auto k = parse("{dataset: vqav2, requests: 10, arrival: {type: closed, users_per_edge: 1, think_s: 3, think: constant}}");
  CHECK(ThinkTimeSampler(k.arrival, 1, 2, 3).next() == 3.0);
}

TEST_CASE("workload section errors name the key") {
  auto err = [](const std::string& yaml) { return test::input_error_of([&] { parse(yaml); }); };
  CHECK(err("{dataset: coco, requests: 1, arrival: {type: poisson, rate_rps: 1}}").find("workload.dataset") != std::string::npos);
  CHECK(err("{dataset: vqav2, requests: 1, arrival: {type: poisson, rate: 1}}").find("rate_rps") != std::string::npos);
  CHECK(err("{dataset: vqav2, requests: 1, arival: {type: poisson, rate_rps: 1}}").find("arrival") != std::string::npos);
  CHECK(err("{dataset: vqav2, requests: 1, arrival: {type: mmpp, rates_rps: [1, x], mean_dwell_s: [1, 1]}}").find("rates_rps") != std::string::npos);
  CHECK(err("{dataset: vqav2, requests: 1, arrival: {type: mmpp, rates_rps: [1, 2], mean_dwell_s: [1]}}").find("mean_dwell_s") != std::string::npos);
  CHECK(err("{dataset: vqav2, requests: 1, arrival: {type: replay}}").find("replay") != std::string::npos);
  CHECK(!err("{dataset: vqav2, requests: 0, arrival: {type: poisson, rate_rps: 1}}").empty());
}
