// msao-adaptive (policies/msao_adaptive.cpp) and its learner
// (sim/policy/context_bandit.hpp): the discounted UCB rule on hand-built
// reward sequences, the placement it learns under hand-built observations
// and outcomes, a reward from device-observable fields only, and on each
// drifting scenario a deterministic run that conserves requests, tokens
// and bytes.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/policy/context_bandit.hpp"
#include "tests/drift_runs.hpp"
#include "tests/fork_run.hpp"
#include "tests/policy_test_util.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// A completed outcome with the given latency, answered by `by`.
RequestRecord outcome(uint64_t id, double latency_s, const std::string& by = "cloud") {
  RequestRecord rec;
  rec.id = id;
  rec.arrival = 0;
  rec.done = latency_s;
  rec.answered_by = by == "edge" ? AnsweredBy::Edge : AnsweredBy::Cloud;
  rec.status = RequestStatus::Completed;
  return rec;
}

// The arm in a decision label "msao-adaptive:ARM" (or msao's own "msao:ARM").
std::string arm_of(const std::string& label) { return label.substr(label.find(':') + 1); }

// Drives the policy for n requests under `obs`; each outcome's latency is
// `latency(arm)` and an edge answer comes from the edge. Returns the arm
// chosen last. `flip_truth` sets the ground-truth flag the device cannot see.
template <class F>
std::string drive(Policy& pol, const Planner& pl, const Observation& obs, uint64_t& id, int n, F latency,
                  bool flip_truth = false) {
  std::string last;
  for (int i = 0; i < n; ++i) {
    Request r = image_request(0.4, 0.9, 0.9);
    r.id = ++id;
    const Plan p = decide(pol, r, obs, pl);
    last = arm_of(p.label);
    RequestRecord rec = outcome(r.id, latency(last), last == "edge" ? "edge" : "cloud");
    rec.correct = flip_truth ? (i % 2 == 0) : true;
    pol.observe(r, p, rec);
  }
  return last;
}

}  // namespace

TEST_CASE("the context bandit follows drifting rewards and moves between contexts") {
  ContextBandit b(4, 0.9, 0.05);
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

TEST_CASE("a new bucket tries the caller's arm first, then every other arm once, in turn") {
  ContextBandit b(4, 1.0, 0.0);
  const BanditContext k{3, 3, 0};
  std::vector<int> order;
  for (int i = 0; i < 4; ++i) {
    order.push_back(b.choose(k, 2));
    b.observe(k, order.back(), -1.0 - i);
  }
  CHECK(order == std::vector<int>{2, 3, 0, 1});
  CHECK(b.choose(k, 1) == 2);  // then the best mean (arm 2: -1), whatever `first` says
}

TEST_CASE("discounting: by hand, a discount of 0.5 turns the choice an undiscounted mean would make") {
  // Arm 0 gets -1, arm 1 gets -0.4, arm 0 gets 0. Undiscounted: arm 0's mean
  // is -0.5 < -0.4, so arm 1. With g = 0.5: arm 0 is (0.25 * -1 + 0) /
  // (0.25 + 1) = -0.2 and arm 1 is (0.5 * -0.4) / 0.5 = -0.4, so arm 0.
  for (const double g : {1.0, 0.5}) {
    ContextBandit b(2, g, 0.0);
    const BanditContext k{};
    CHECK(b.choose(k) == 0);
    b.observe(k, 0, -1.0);
    CHECK(b.choose(k) == 1);
    b.observe(k, 1, -0.4);
    b.observe(k, 0, 0.0);
    CHECK(b.choose(k) == (g == 1.0 ? 1 : 0));
  }
}

TEST_CASE("the exploration bonus: by hand, sqrt(2 ln n / N) brings back an arm that was not pulled") {
  // Arm 0: N = 1, mean -1; arm 1: N = 9 (nine -0.5s), mean -0.5; n = 10.
  // explore 0.5: arm 0 scores -1 + 0.5 * sqrt(2 ln 10) = 0.073, arm 1
  // -0.5 + 0.5 * sqrt(2 ln 10 / 9) = -0.142: arm 0. explore 0.1: arm 1.
  for (const double e : {0.5, 0.1}) {
    ContextBandit b(2, 1.0, e);
    const BanditContext k{};
    b.choose(k), b.choose(k);
    b.observe(k, 0, -1.0);
    for (int i = 0; i < 9; ++i) b.observe(k, 1, -0.5);
    CHECK(b.choose(k) == (e == 0.5 ? 0 : 1));
  }
}

TEST_CASE("the context bucket is log2 of bandwidth (Mbit/s), RTT (ms) and 1 + cloud queue") {
  const BanditContext k = bandit_context(link(300e6 / 8, 0.020, 6));
  CHECK(k.bw == 8);
  CHECK(k.rtt == 4);
  CHECK(k.queue == 2);
  CHECK(bandit_context(link(4e6 / 8, 0.120, 0)).bw == 2);
}

TEST_CASE("msao-adaptive learns a placement per context and returns to it when the link comes back") {
  const Planner pl = paper_planner();
  auto pol = make_policy("msao-adaptive");
  uint64_t id = 0;
  // Fast link: offloading is fastest. Collapsed link: every cloud path takes
  // a second and the edge answers in 50 ms (with confidence 0.9 its doubt
  // costs 2 x 0.1 of the predicted cloud latency: less than the cloud's wait).
  const Observation fast = link(300e6 / 8), slow = link(4e6 / 8, 0.120);
  auto on_fast = [](const std::string& arm) { return arm == "cloud" ? 0.08 : 0.2; };
  auto on_slow = [](const std::string& arm) { return arm == "edge" ? 0.05 : 1.0; };
  CHECK(drive(*pol, pl, fast, id, 60, on_fast) == "cloud");
  CHECK(drive(*pol, pl, slow, id, 60, on_slow) == "edge");
  CHECK(drive(*pol, pl, fast, id, 3, on_fast) == "cloud");  // the fast bucket kept what it learnt
}

TEST_CASE("msao-adaptive reads only device-observable outcome fields, not the ground-truth correctness") {
  const Planner pl = paper_planner();
  auto a = make_policy("msao-adaptive"), b = make_policy("msao-adaptive");
  uint64_t ia = 0, ib = 0;
  auto lat = [](const std::string& arm) { return arm == "race" ? 0.1 : 0.3; };
  for (int round = 0; round < 40; ++round)
    CHECK(drive(*a, pl, link(300e6 / 8), ia, 1, lat, false) == drive(*b, pl, link(300e6 / 8), ib, 1, lat, true));
  // What the device sees decides the reward: an answer the cloud did not
  // verify costs the penalty times the edge's own doubt (1 - confidence),
  // a failure is the worst, and `correct` changes nothing.
  RequestRecord ok = outcome(1, 0.5), wrong = ok, edge = outcome(1, 0.5, "edge"), failed = ok;
  wrong.correct = !ok.correct;
  failed.status = RequestStatus::Failed;
  CHECK(device_reward(ok, 1.0, 2.0, 0.3) == device_reward(wrong, 1.0, 2.0, 0.3));
  CHECK(device_reward(ok, 1.0, 2.0, 0.3) == doctest::Approx(-0.5));
  CHECK(device_reward(edge, 1.0, 2.0, 0.75) == doctest::Approx(-0.5 - 2.0 * 0.25));
  CHECK(device_reward(edge, 1.0, 2.0, 1.0) == doctest::Approx(-0.5));
  CHECK(device_reward(failed, 1.0, 2.0, 0.0) < device_reward(edge, 1.0, 2.0, 0.0));
}

TEST_CASE("msao-adaptive on each drifting scenario: deterministic, and requests, tokens and bytes are conserved") {
  for (const char* name : kDriftScenarios) {
    CAPTURE(name);
    std::map<std::string, int> arms;
    for (const auto& r : drift_rows_checked(name, "msao-adaptive", 400)) {
      CHECK((r.at("answered_by") == "edge" || r.at("answered_by") == "cloud"));
      if (r.at("mode") == "tokens")
        CHECK(std::stoi(r.at("accepted_tokens")) + std::stoi(r.at("corrected_tokens")) +
                  std::stoi(r.at("cloud_tokens")) + std::stoi(r.at("edge_only_tokens")) ==
              std::stoi(r.at("output_tokens")));
      ++arms[arm_of(r.at("decision"))];
    }
    CHECK(arms.size() >= 3);  // it explores, so more than one placement appears
  }
}
