// Engine timing against hand computation and queueing theory. Every
// simulation runs in a forked child (one SimGrid engine per process).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("a lone offloaded request takes the hand-computed sum of its stages") {
  // 300 Mbit/s, 20 ms RTT: one-way 10 ms. Edge pre 12 ms; upload 150 kB;
  // cloud prefill 600 tokens at 50 us/token + first-token; 9 more decode
  // steps of 20 ms; reply 40 bytes.
  const double bw = 300e6 / 8, lat = 0.010;
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(bw, lat);
    s.cloud_cost = linear_cloud_cost(50e-6, 0.020);
    Request q;
    q.id = 7;
    q.arrival_s = 1.5;
    q.output_tokens = 10;
    s.requests = {q};
    s.planner = [](const Request&, const Observation&) {
      ExecPlan p;
      p.phases = scheme::kOffload;
      p.edge_pre_s = 0.012;
      p.upload_bytes = 150000;
      p.cloud.prefill_tokens = 600;
      p.cloud.decode_tokens = 10;
      p.reply_bytes = 40;
      return p;
    };
    auto res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[0].latency() << " " << res.records[0].ttft() << " " << (int)res.records[0].status;
    return os.str();
  });
  REQUIRE(r.ok);
  std::istringstream is(r.out);
  double latency, ttft;
  int status;
  is >> latency >> ttft >> status;
  const double upload = lat + 150000 / bw, prefill = 600 * 50e-6, decode = 9 * 0.020, reply = lat + 40 / bw;
  CHECK(status == static_cast<int>(RequestStatus::Completed));
  CHECK(latency == doctest::Approx(0.012 + upload + prefill + decode + reply).epsilon(1e-6));
  CHECK(ttft == doctest::Approx(0.012 + upload + prefill).epsilon(1e-6));
}

namespace {
// Mean response time of an M/M/1 queue simulated on one edge accelerator.
double mm1_mean_response(double lambda, double mu, size_t n, uint64_t seed) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(1e9, 0.001);
    s.cloud_cost = linear_cloud_cost(0, 0);
    std::mt19937_64 rng(seed);
    auto expo = [&rng](double rate) {
      double u = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
      return -std::log(u) / rate;
    };
    std::vector<double> service(n);
    double t = 0;
    s.requests.resize(n);
    for (size_t i = 0; i < n; ++i) {
      t += expo(lambda);
      s.requests[i].id = i;
      s.requests[i].arrival_s = t;
      service[i] = expo(mu);
    }
    s.planner = [&service](const Request& q, const Observation&) {
      ExecPlan p;
      p.phases = scheme::kEdge;
      p.edge_answer_s = service[q.id];
      return p;
    };
    auto res = run_simulation(s);
    double sum = 0;
    // Skip the first 1% as warm-up from an empty system.
    size_t skip = n / 100;
    for (size_t i = skip; i < n; ++i) sum += res.records[i].latency();
    std::ostringstream os;
    os.precision(17);
    os << sum / (n - skip);
    return os.str();
  });
  REQUIRE(r.ok);
  return std::stod(r.out);
}
}  // namespace

TEST_CASE("M/M/1 mean response time at utilisation 0.5") {
  const double mu = 10, lambda = 5;
  CHECK(mm1_mean_response(lambda, mu, 200000, 42) == doctest::Approx(1 / (mu - lambda)).epsilon(0.02));
}

TEST_CASE("M/M/1 mean response time at utilisation 0.8") {
  const double mu = 10, lambda = 8;
  CHECK(mm1_mean_response(lambda, mu, 600000, 43) == doctest::Approx(1 / (mu - lambda)).epsilon(0.02));
}
