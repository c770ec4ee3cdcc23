// Edge radio energy (docs/energy.md): the account's charges against hand
// computations, its per-request charges against its own state integral,
// the engine's per-request radio energy against SimGrid's transfer times,
// and bad radio keys.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <queue>
#include <random>
#include <sstream>

#include "sim/engine/radio_account.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
namespace fs = std::filesystem;

namespace {

// Round figures, so the hand computations below read easily.
RadioSpec test_radio() {
  RadioSpec r;
  r.name = "test";
  r.uplink_mw_per_mbps = 400;   // 0.4 W per Mbit/s up
  r.downlink_mw_per_mbps = 50;
  r.active_w = 1.2;
  r.promotion_s = 0.25;
  r.promotion_w = 1.0;
  r.tail_s = 10;
  r.tail_w = 1.0;
  r.idle_w = 0.02;
  return r;
}

double rel_diff(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-12}); }

}  // namespace

TEST_CASE("radio: a lone upload pays promotion, transmit power x transfer time and one whole tail") {
  const RadioSpec r = test_radio();
  RadioAccount acc(&r);
  const auto b = acc.begin(5.0);
  CHECK(b.data_start == doctest::Approx(5.25));  // waits for the promotion
  CHECK(b.promotion_j == doctest::Approx(1.0 * 0.25));
  // 1.25 MB in 2 s: 5 Mbit/s, so transmit power 1.2 + 0.4 x 5 = 3.2 W.
  const double j = acc.end(b.data_start, b.data_start + 2, 1.25e6, true);
  CHECK(j == doctest::Approx(3.2 * 2 + 1.0 * 10));
  CHECK(acc.charged_j() == doctest::Approx(0.25 + 6.4 + 10));
  // The state integral agrees, and idle runs before the promotion.
  const auto s = acc.energy_by_state(100);
  CHECK(s.promotion_j == doctest::Approx(0.25));
  CHECK(s.active_j == doctest::Approx(6.4));
  CHECK(s.tail_j == doctest::Approx(10));
  CHECK(s.idle_j == doctest::Approx(0.02 * (5 + (100 - 17.25))));
}

TEST_CASE("radio: two uploads inside one tail pay one promotion and one tail") {
  const RadioSpec r = test_radio();
  RadioAccount acc(&r);
  const auto a = acc.begin(0);
  const double ja = acc.end(a.data_start, a.data_start + 1, 0, true);
  const double t_b = a.data_start + 1 + 4;  // 4 s into the tail
  const auto b = acc.begin(t_b);
  CHECK(b.promotion_j == 0);  // the tail resets, no new promotion
  CHECK(b.data_start == t_b);
  const double jb = acc.end(b.data_start, b.data_start + 1, 0, true);
  // The second pays its second of transmission and the 4 s of tail it kept alive.
  CHECK(jb == doctest::Approx(1.2 * 1 + 1.0 * 4));
  CHECK(a.promotion_j + ja + jb == doctest::Approx(0.25 + 1.2 * 2 + 1.0 * (4 + 10)));
  CHECK(acc.energy_by_state(1000).non_idle_j() == doctest::Approx(acc.charged_j()));
}

TEST_CASE("radio: an upload after the tail has run out promotes again") {
  const RadioSpec r = test_radio();
  RadioAccount acc(&r);
  const auto a = acc.begin(0);
  acc.end(a.data_start, a.data_start + 1, 0, true);
  const auto b = acc.begin(a.data_start + 1 + 10.5);
  CHECK(b.promotion_j == doctest::Approx(0.25));
  CHECK(b.data_start == doctest::Approx(a.data_start + 11.5 + 0.25));
}

TEST_CASE("radio: per-request charges add up to the radio's state integral (overlapping transfers)") {
  // Random transfers, some overlapping, some in tails, some after idle
  // gaps; events fed in time order as the engine does.
  const RadioSpec r = test_radio();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> gap(seed % 2 ? 0.05 : 1.0), dur(2.0);
    std::uniform_real_distribution<double> bytes(0, 2e6);
    RadioAccount acc(&r);
    struct End {
      double t, start, bytes;
      bool up;
      bool operator>(const End& o) const { return t > o.t; }
    };
    std::priority_queue<End, std::vector<End>, std::greater<>> ends;
    double t = 0, sum = 0;
    for (int i = 0; i < 300; ++i) {
      t += gap(rng);
      while (!ends.empty() && ends.top().t <= t) {
        const End e = ends.top();
        ends.pop();
        sum += acc.end(e.start, e.t, e.bytes, e.up);
      }
      const auto b = acc.begin(t);
      sum += b.promotion_j;
      ends.push({b.data_start + dur(rng), b.data_start, bytes(rng), (i % 3) != 0});
    }
    double last = t;
    while (!ends.empty()) {
      const End e = ends.top();
      ends.pop();
      sum += acc.end(e.start, e.t, e.bytes, e.up);
      last = e.t;
    }
    CAPTURE(seed);
    CHECK(rel_diff(sum, acc.charged_j()) < 1e-12);
    CHECK(rel_diff(acc.energy_by_state(last + 1).non_idle_j(), sum) < 1e-9);
  }
}

namespace {

// One edge with the test radio on a 10 Mbit/s, 20 ms one-way link.
SimSetup radio_setup(std::vector<Request> requests, double upload, double reply) {
  SimSetup s;
  s.platform = test::one_edge_platform(10e6 / 8, 0.020);
  s.platform.edge_groups[0].radio = test_radio();
  s.requests = std::move(requests);
  s.cloud_cost = test::linear_cloud_cost(0.001, 0.001);
  s.planner = test::offload_planner(upload, reply);
  return s;
}

}  // namespace

TEST_CASE("radio in the engine: a lone upload's energy is transmit power x SimGrid's transfer time + promotion + tail") {
  auto r = test::fork_run([] {
    SimResult res = run_simulation(radio_setup({test::serving_request(0, 1.0, 10, 1)}, 1.25e6, 0));
    const RequestRecord& rec = res.records[0];
    std::ostringstream o;
    o.precision(17);
    o << rec.upload_start << " " << rec.upload_end << " " << rec.radio_energy_j << " " << res.energy_j_edge_radio << " "
      << res.energy_j_edge_radio_idle << " " << res.sim_time_s;
    return o.str();
  });
  REQUIRE(r.ok);
  std::istringstream in(r.out);
  const double up0 = test::read_number(in), up1 = test::read_number(in), radio = test::read_number(in),
               total = test::read_number(in), idle = test::read_number(in), end = test::read_number(in);
  const RadioSpec spec = test_radio();
  // The upload waits for the promotion, then takes latency + bytes / bandwidth.
  const double transfer_s = up1 - up0 - spec.promotion_s;
  CHECK(transfer_s == doctest::Approx(0.020 + 1.25e6 / (10e6 / 8)));
  const double tx_w = spec.active_w + spec.uplink_mw_per_mbps * 1e-3 * (1.25e6 * 8e-6 / transfer_s);
  CHECK(radio == doctest::Approx(spec.promotion_w * spec.promotion_s + tx_w * transfer_s + spec.tail_w * spec.tail_s));
  // The edge's total is this request's energy plus idle before and after.
  CHECK(total - idle == doctest::Approx(radio));
  CHECK(idle == doctest::Approx(spec.idle_w * (up0 + std::max(0.0, end - (up1 + spec.tail_s)))));
}

TEST_CASE("radio in the engine: a second upload inside the first one's tail pays no promotion and no second tail") {
  auto r = test::fork_run([] {
    SimResult res = run_simulation(
        radio_setup({test::serving_request(0, 1.0, 10, 1), test::serving_request(1, 4.0, 10, 1)}, 1.25e6, 0));
    std::ostringstream o;
    o.precision(17);
    for (const auto& rec : res.records) o << rec.upload_start << " " << rec.upload_end << " " << rec.radio_energy_j << " ";
    o << res.energy_j_edge_radio - res.energy_j_edge_radio_idle;
    return o.str();
  });
  REQUIRE(r.ok);
  std::istringstream in(r.out);
  double s[2], e[2], j[2];
  for (int i = 0; i < 2; ++i) s[i] = test::read_number(in), e[i] = test::read_number(in), j[i] = test::read_number(in);
  const double edge = test::read_number(in);
  const RadioSpec spec = test_radio();
  const double d0 = e[0] - s[0] - spec.promotion_s, d1 = e[1] - s[1];  // only the first waits for a promotion
  CHECK(d1 == doctest::Approx(0.020 + 1.25e6 / (10e6 / 8)));
  CHECK(d0 == doctest::Approx(d1));
  const double tx_w = spec.active_w + spec.uplink_mw_per_mbps * 1e-3 * (1.25e6 * 8e-6 / d1);
  const double gap = s[1] - e[0];  // the tail between them
  REQUIRE(gap > 0);
  REQUIRE(gap < spec.tail_s);
  CHECK(j[0] == doctest::Approx(spec.promotion_w * spec.promotion_s + tx_w * d0 + spec.tail_w * spec.tail_s));
  CHECK(j[1] == doctest::Approx(tx_w * d1 + spec.tail_w * gap));
  CHECK(j[0] + j[1] == doctest::Approx(edge));
}

TEST_CASE("radio in the engine: requests' radio energy adds up to the edges' (uploads, replies, tails)") {
  auto r = test::fork_run([] {
    std::vector<Request> reqs;
    std::mt19937_64 rng(7);
    std::exponential_distribution<double> gap(0.3);
    double t = 0;
    for (uint64_t i = 0; i < 60; ++i) reqs.push_back(test::serving_request(i, t += gap(rng), 50, 20));
    SimResult res = run_simulation(radio_setup(reqs, 4e5, 2e4));
    double sum = 0;
    int promoted = 0;
    for (const auto& rec : res.records) sum += rec.radio_energy_j, promoted += rec.radio_energy_j > 0;
    std::ostringstream o;
    o.precision(17);
    o << sum << " " << res.energy_j_edge_radio - res.energy_j_edge_radio_idle << " " << promoted << " "
      << test::completed_count(res);
    return o.str();
  });
  REQUIRE(r.ok);
  std::istringstream in(r.out);
  const double per_request = test::read_number(in), per_edge = test::read_number(in);
  const double charged = test::read_number(in), completed = test::read_number(in);
  CHECK(completed == 60);
  CHECK(charged == 60);
  CHECK(per_request > 0);
  CHECK(rel_diff(per_request, per_edge) < 1e-9);
}

namespace {

fs::path radio_case(const std::string& name, const std::string& radio_line) {
  const fs::path dir = fs::temp_directory_path() / ("msao-radio-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string s = test::slurp(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml");
  const std::string link = "      uplink: {bandwidth: 300Mbps, rtt: 20ms}\n";
  const auto p = s.find(link);
  REQUIRE(p != std::string::npos);
  s.insert(p + link.size(), radio_line);
  std::ofstream(dir / "scenario.yaml") << s;
  return dir / "scenario.yaml";
}

}  // namespace

TEST_CASE("radio keys: the catalog's radios and overrides are accepted") {
  for (const std::string line : {"      radio: lte\n", "      radio: wifi\n", "      radio: none\n",
                                 "      radio: {type: lte, tail_s: 5, idle_w: 0}\n"}) {
    CAPTURE(line);
    const auto r = test::run_msao("check " + radio_case("ok", line).string());
    CHECK(r.status == 0);
  }
}

TEST_CASE("radio keys: bad values exit 2 naming the key") {
  struct Bad {
    std::string line, key, found;
  };
  for (const Bad& b : {Bad{"      radio: 5g-nsa\n", "radio", "5g-nsa"},
                       Bad{"      radio: {type: lte, tail_s: -1}\n", "tail_s", "-1"},
                       Bad{"      radio: {type: lte, tail_w: 5}\n", "tail_w", "5"},
                       Bad{"      radio: {type: lte, tial_s: 3}\n", "tial_s", "tail_s"},
                       Bad{"      radio: {tail_s: 3}\n", "type", ""}}) {
    CAPTURE(b.line);
    const auto r = test::run_msao("check " + radio_case("bad", b.line).string());
    CHECK(r.status == 2);
    CHECK(r.out.rfind("error: ", 0) == 0);
    CHECK(r.out.find(b.key) != std::string::npos);
    CHECK(r.out.find(b.found) != std::string::npos);
  }
}
