// msao-adaptive (policies/msao_adaptive.cpp): its bandit moves its choice
// when the outcomes or the context drift, reads only device-observable
// outcome fields, and a whole run is deterministic.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "sim/policy/threshold_bandit.hpp"
#include "tests/fork_run.hpp"
#include "tests/policy_test_util.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// The threshold in a decision label "msao-adaptive:collab@0.7".
double threshold_of(const Plan& p) {
  const auto at = p.label.find('@');
  REQUIRE_MESSAGE(at != std::string::npos, p.label);
  return std::stod(p.label.substr(at + 1));
}

// A completed, cloud-verified outcome with the given latency.
RequestRecord outcome(uint64_t id, double latency_s) {
  RequestRecord rec;
  rec.id = id;
  rec.arrival = 0;
  rec.done = latency_s;
  rec.answered_by = "cloud";
  rec.status = RequestStatus::Completed;
  return rec;
}

// Drives the policy for n requests under `obs`, answering each with the
// latency `latency(threshold)`; returns the threshold chosen last.
template <class F>
double drive(Policy& pol, const Planner& pl, const Observation& obs, uint64_t& id, int n, F latency,
             bool flip_truth = false) {
  double last = -1;
  for (int i = 0; i < n; ++i) {
    Request r = image_request();
    r.id = ++id;
    const Plan p = decide(pol, r, obs, pl);
    REQUIRE(p.spec == Speculation::Tokens);
    last = threshold_of(p);
    RequestRecord rec = outcome(r.id, latency(last));
    // Ground truth the device cannot know: must not matter.
    rec.correct = flip_truth ? (i % 2 == 0) : true;
    pol.observe(r, p, rec);
  }
  return last;
}

}  // namespace

TEST_CASE("the threshold bandit follows drifting rewards and moves between contexts") {
  ThresholdBandit b(4, 0, 0.9, 0.05);
  const BanditContext a{5, 4, 0}, c{1, 6, 0};
  auto run = [&](const BanditContext& ctx, int good, int n) {
    int arm = -1;
    for (int i = 0; i < n; ++i) {
      arm = b.choose(ctx);
      b.observe(ctx, arm, arm == good ? -0.5 : -1.0);
    }
    return arm;
  };
  CHECK(run(a, 3, 60) == 3);
  CHECK(run(c, 1, 60) == 1);  // another context learns its own arm
  CHECK(run(a, 0, 80) == 0);  // the rewards drift: discounting forgets the old best
  CHECK(b.choose(c) == 1);    // and the other context kept its own
}

TEST_CASE("the context bucket is log2 of bandwidth (Mbit/s), RTT (ms) and 1 + cloud queue") {
  const BanditContext k = bandit_context(link(300e6 / 8, 0.020, 6));
  CHECK(k.bw == 8);
  CHECK(k.rtt == 4);
  CHECK(k.queue == 2);
  CHECK(bandit_context(link(4e6 / 8, 0.120, 0)).bw == 2);
}

TEST_CASE("msao-adaptive changes its confidence threshold when the link drifts") {
  const Planner pl = paper_planner();
  auto pol = make_policy("msao-adaptive");
  uint64_t id = 0;
  // Fast link: low thresholds pay (long verified drafts); slow link: high ones (hand off early).
  const Observation fast = link(300e6 / 8), slow = link(30e6 / 8, 0.060);
  const double on_fast = drive(*pol, pl, fast, id, 80, [](double t) { return 0.2 + 0.5 * t; });
  const double on_slow = drive(*pol, pl, slow, id, 80, [](double t) { return 0.7 - 0.5 * t; });
  CHECK(on_fast == doctest::Approx(0.5));
  CHECK(on_slow == doctest::Approx(1.0));
  // The same outcomes under the first context again: the first choice comes back.
  CHECK(drive(*pol, pl, fast, id, 5, [](double t) { return 0.2 + 0.5 * t; }) == doctest::Approx(0.5));
}

TEST_CASE("msao-adaptive reads only device-observable outcome fields, not the ground-truth correctness") {
  const Planner pl = paper_planner();
  auto a = make_policy("msao-adaptive"), b = make_policy("msao-adaptive");
  uint64_t ia = 0, ib = 0;
  auto lat = [](double t) { return 0.3 + 0.2 * t; };
  for (int round = 0; round < 40; ++round)
    CHECK(drive(*a, pl, link(300e6 / 8), ia, 1, lat, false) == drive(*b, pl, link(300e6 / 8), ib, 1, lat, true));
  // What the device sees decides the reward: an answer the cloud did not verify is penalised,
  // a failure is the worst, and `correct` changes nothing.
  RequestRecord ok = outcome(1, 0.5), wrong = ok, edge = ok, failed = ok;
  wrong.correct = !ok.correct;
  edge.answered_by = "edge";
  failed.status = RequestStatus::Failed;
  CHECK(device_reward(ok, 1.0, 1.0) == device_reward(wrong, 1.0, 1.0));
  CHECK(device_reward(edge, 1.0, 1.0) < device_reward(ok, 1.0, 1.0));
  CHECK(device_reward(failed, 1.0, 1.0) < device_reward(edge, 1.0, 1.0));
}

TEST_CASE("msao-adaptive on the 5G collapse: the same run twice is byte-identical and explores several thresholds") {
  namespace fs = std::filesystem;
  const std::string scen = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/drift-5g-collapse.yaml";
  const fs::path base = fs::temp_directory_path() / ("msao-adapt-" + std::to_string(::getpid()));
  fs::remove_all(base);
  const std::string args = " --set workload.requests=300 --set policy.type=msao-adaptive";
  const std::string a = (base / "a").string(), b = (base / "b").string();
  REQUIRE(run_msao("run " + scen + " --out " + a + args).ok);
  REQUIRE(run_msao("run " + scen + " --out " + b + args).ok);
  const std::string csv = slurp(a + "/requests.csv");
  CHECK(csv == slurp(b + "/requests.csv"));
  std::set<std::string> arms;
  for (size_t at = csv.find("collab@"); at != std::string::npos; at = csv.find("collab@", at + 1))
    arms.insert(csv.substr(at, csv.find(',', at) - at));
  CHECK(arms.size() >= 3);
  fs::remove_all(base);
}
