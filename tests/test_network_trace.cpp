// Network trace v1: loading with file:line errors, SimGrid profile text and
// periodicity, and the Markov uplink presets hitting their medians.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "sim/config/input_error.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/network_model.hpp"
#include "workloads/network_trace.hpp"

using namespace msao;

namespace {

const std::string kHead = "# msao-network-trace v1\n# a comment\nperiod_s,10\nt_s,bandwidth_mbps,rtt_ms\n";

std::string load_error(const std::string& text) {
  const std::string p = test::scratch_path("net-bad.csv");
  test::spit(p, text);
  return test::input_error_of([&] { load_network_trace(p); });
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE("network trace loads into bytes per second and seconds") {
  const std::string p = test::scratch_path("net.csv");
  test::spit(p, kHead + "0,8,20\n2.5,16,40\n");
  auto tr = load_network_trace(p);
  REQUIRE(tr.t_s.size() == 2);
  CHECK(tr.bandwidth_Bps[0] == 1e6);
  CHECK(tr.rtt_s[1] == doctest::Approx(0.04));
  CHECK(tr.period_s == 10);
  CHECK(simgrid_bandwidth_profile(tr) == "0 1000000\n2.5 2000000\n");
  CHECK(simgrid_latency_profile(tr) == "0 0.01\n2.5 0.02\n");
  CHECK(simgrid_profile_periodicity(tr) == 10);
  CHECK(latency_floor_s(tr) == doctest::Approx(0.01));
  CHECK(extra_latency_s(tr, 13) == doctest::Approx(0.01));
  CHECK(sample_at(tr, 2.4).bandwidth_Bps == 1e6);
  CHECK(sample_at(tr, 12.6).bandwidth_Bps == 2e6);
  CHECK(simgrid_profile_periodicity(constant_network(1, 0)) == 0);
}

TEST_CASE("network trace reader rejects bad input with file and line") {
  CHECK(load_error("# msao-network-trace v2\n").find("net-bad.csv:1:") != std::string::npos);
  CHECK(load_error(kHead + "0,8,20\n1,nan,20\n").find("net-bad.csv:6:") != std::string::npos);
  CHECK(load_error(kHead + "0,8,20\n1,0,20\n").find("bandwidth") != std::string::npos);
  CHECK(load_error(kHead + "0,8\n").find("net-bad.csv:5:") != std::string::npos);
  CHECK(load_error(kHead + "0,8,20\n0,8,20\n").find("increasing") != std::string::npos);
  CHECK(load_error(kHead + "1,8,20\n").find("first row") != std::string::npos);
  CHECK(load_error(kHead + "0,8,20\n11,8,20\n").find("period_s") != std::string::npos);
  CHECK(load_error(kHead + "0,8,20").find("newline") != std::string::npos);
  CHECK(load_error(kHead).find("no data rows") != std::string::npos);
}

TEST_CASE("markov uplink presets hit their medians and spread") {
  for (const auto& name : link_model_names()) {
    if (name == "outage") continue;
    const LinkModel& m = link_model(name);
    auto tr = generate_network_trace(m, 36000, 1, 11);
    std::vector<double> mbps, logs;
    for (double b : tr.bandwidth_Bps) mbps.push_back(b * 8 / 1e6), logs.push_back(std::log(b * 8 / 1e6 / m.median_mbps));
    INFO(name);
    CHECK(std::fabs(median(mbps) / m.median_mbps - 1) < 0.1);
    double var = 0;
    for (double x : logs) var += x * x / double(logs.size());
    CHECK(std::fabs(std::sqrt(var) / m.sigma_log_bw - 1) < 0.15);
    std::vector<double> rtt;
    for (double r : tr.rtt_s) rtt.push_back(r * 1000);
    CHECK(std::fabs(median(rtt) / m.median_rtt_ms - 1) < 0.1);
  }
}

TEST_CASE("outage preset has multi-second near-zero stretches") {
  auto tr = generate_network_trace(link_model("outage"), 600, 1, 1);
  int longest = 0, run = 0, outages = 0;
  for (double b : tr.bandwidth_Bps) {
    if (b * 8 / 1e6 <= kOutageMbps) {
      if (run++ == 0) ++outages;
      longest = std::max(longest, run);
    } else {
      run = 0;
    }
    CHECK(b > 0);
  }
  CHECK(outages >= 3);
  CHECK(longest >= 3);
}

TEST_CASE("bundled network traces load") {
  for (const char* f : {"static-200mbps-20ms", "static-300mbps-20ms", "static-400mbps-20ms", "wifi", "4g", "5g", "4g-outages"}) {
    INFO(f);
    auto tr = load_network_trace(std::string(MSAO_SOURCE_DIR) + "/traces/network/" + f + ".csv");
    CHECK(!tr.t_s.empty());
  }
}

TEST_CASE("msao trace net-gen is reproducible") {
  const std::string a = test::scratch_path("n1.csv"), b = test::scratch_path("n2.csv");
  CHECK(test::run_msao("trace net-gen --kind 5g --seed 4 --duration-s 60 -o " + a).status == 0);
  CHECK(test::run_msao("trace net-gen --kind 5g --seed 4 --duration-s 60 -o " + b).status == 0);
  CHECK(test::slurp(a) == test::slurp(b));
  CHECK(test::run_msao("trace net-check " + a).status == 0);
  CHECK(test::run_msao("trace net-gen --kind lte -o " + a).status == 2);
}
