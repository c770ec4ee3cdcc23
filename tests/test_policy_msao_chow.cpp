// msao-chow (policies/msao_chow.cpp): the per-request threshold by hand
// from the planner's predicted waits (Chow's rule), the dual step on the
// accuracy budget and the learned wait correction, each by hand from one
// outcome; outcomes read only device-observable fields; and on each
// drifting scenario a deterministic run that conserves requests and bytes.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include "policies/msao_core.hpp"
#include "tests/drift_runs.hpp"
#include "tests/fork_run.hpp"
#include "tests/policy_test_util.hpp"
#include "tests/workload_test_util.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// The edge's and the pruned cloud path's predicted latencies the rule
// compares: msao's race paths at `p`.
struct Waits {
  double edge, cloud;
};
Waits waits(const Request& r, const Observation& o, const Planner& pl, const PolicyParams& p) {
  PolicyParams all = p;
  for (const ParamSpec& s : msao_param_specs()) all.try_emplace(s.name, s.dflt);
  const MsaoRule::RacePaths paths = MsaoRule(all).race_paths(PolicyInput{r, o, pl});
  return {paths.t_edge, paths.t_cloud};
}

RequestRecord answered(uint64_t id, double latency_s, const std::string& by) {
  RequestRecord rec;
  rec.id = id;
  rec.arrival = 0;
  rec.done = latency_s;
  rec.answered_by = by == "edge" ? AnsweredBy::Edge : AnsweredBy::Cloud;
  rec.status = RequestStatus::Completed;
  return rec;
}

}  // namespace

TEST_CASE("msao-chow: theta = confidence - (cloud wait - edge) / answer_penalty, by hand") {
  const Planner pl = paper_planner();
  Request r = image_request(0.4, 0.9, 0.9);
  r.id = 1;
  const Observation o = link(20e6 / 8, 0.040);
  const PolicyParams fixed{{"confidence", 0.9}, {"dual_rate", 0}, {"learn_rate", 0}};
  const Waits w = waits(r, o, pl, fixed);
  REQUIRE(w.edge < w.cloud);  // the race applies: the edge can finish first
  const double gap = w.cloud - w.edge;
  // A price that puts theta at 0.9 - 0.5.
  PolicyParams p = fixed;
  p["answer_penalty"] = gap / 0.5;
  auto pol = make_policy("msao-chow", p);
  const Plan plan = decide(*pol, r, o, pl);
  CHECK(plan.label == "msao-chow:race");
  CHECK(plan.spec == Speculation::Race);
  CHECK(plan.confidence_threshold == doctest::Approx(0.4));
  // A price below the gap / confidence: no answer is worth the wait, so the
  // edge alone, nothing offloaded.
  p["answer_penalty"] = gap / 0.95;
  CHECK(decide(*make_policy("msao-chow", p), r, o, pl).label == "msao-chow:edge");
  // On a 10 Gbit/s link at 1 ms the cloud path beats the edge: the offload.
  const Observation fast = link(10e9 / 8, 0.001);
  const Waits wf = waits(r, fast, pl, fixed);
  if (wf.edge >= wf.cloud) CHECK(decide(*make_policy("msao-chow", fixed), r, fast, pl).label == "msao-chow:cloud");
}

TEST_CASE("msao-chow: one kept doubtful answer raises the price by e^(dual_rate x (loss - budget)), by hand") {
  const Planner pl = paper_planner();
  const Observation o = link(20e6 / 8, 0.040);
  Request r = image_request(0.4, 0.9, 0.5);  // the edge's confidence: 0.5
  r.id = 1;
  const PolicyParams p{{"confidence", 0.9}, {"answer_penalty", 1.0}, {"dual_rate", 1.0},
                       {"accuracy_budget", 0.1}, {"learn_rate", 0}};
  const Waits w = waits(r, o, pl, p);
  auto pol = make_policy("msao-chow", p);
  const Plan first = decide(*pol, r, o, pl);
  CHECK(first.confidence_threshold == doctest::Approx(0.9 - (w.cloud - w.edge)));
  // Kept on the edge: loss 0.9 - 0.5 = 0.4, mu = 1 x (0.4 - 0.1) = 0.3.
  pol->observe(r, first, answered(1, 0.05, "edge"));
  r.id = 2;
  const Plan second = decide(*pol, r, o, pl);
  CHECK(second.confidence_threshold == doctest::Approx(0.9 - (w.cloud - w.edge) / std::exp(0.3)));
  // Answered by the cloud: loss 0, mu = 0.3 - 0.1 = 0.2.
  pol->observe(r, second, answered(2, 0.2, "cloud"));
  r.id = 3;
  CHECK(decide(*pol, r, o, pl).confidence_threshold == doctest::Approx(0.9 - (w.cloud - w.edge) / std::exp(0.2)));
}

TEST_CASE("msao-chow: a cloud answer measured at twice its prediction doubles the wait in its context, by hand") {
  const Planner pl = paper_planner();
  const Observation o = link(20e6 / 8, 0.040), other = link(200e6 / 8, 0.040);
  Request r = image_request(0.4, 0.9, 0.9);
  r.id = 1;
  const PolicyParams p{{"confidence", 0.9}, {"answer_penalty", 2.0}, {"dual_rate", 0}, {"learn_rate", 1.0}};
  const Waits w = waits(r, o, pl, p), wo = waits(r, other, pl, p);
  auto pol = make_policy("msao-chow", p);
  const Plan first = decide(*pol, r, o, pl);
  pol->observe(r, first, answered(1, 2 * w.cloud, "cloud"));
  r.id = 2;
  CHECK(decide(*pol, r, o, pl).confidence_threshold == doctest::Approx(0.9 - (2 * w.cloud - w.edge) / 2.0));
  // Another bandwidth bucket keeps the planner's prediction.
  r.id = 3;
  if (wo.edge < wo.cloud)
    CHECK(decide(*pol, r, other, pl).confidence_threshold == doctest::Approx(0.9 - (wo.cloud - wo.edge) / 2.0));
}

TEST_CASE("msao-chow reads only device-observable outcome fields, not the ground-truth correctness") {
  const Planner pl = paper_planner();
  const Observation o = link(20e6 / 8, 0.040);
  auto a = make_policy("msao-chow"), b = make_policy("msao-chow");
  for (uint64_t id = 1; id <= 40; ++id) {
    Request r = image_request(0.4, 0.9, 0.3 + 0.015 * double(id));
    r.id = id;
    const Plan pa = decide(*a, r, o, pl), pb = decide(*b, r, o, pl);
    CHECK(pa.label == pb.label);
    CHECK(pa.confidence_threshold == pb.confidence_threshold);
    RequestRecord ra = answered(id, 0.05 + 0.01 * double(id % 7), id % 3 == 0 ? "cloud" : "edge");
    RequestRecord rb = ra;
    ra.correct = true;
    rb.correct = false;
    a->observe(r, pa, ra);
    b->observe(r, pb, rb);
  }
}

TEST_CASE("msao-chow on each drifting scenario: deterministic, and requests and uplink bytes are conserved") {
  for (const char* name : kDriftScenarios) {
    CAPTURE(name);
    for (const auto& r : drift_rows_checked(name, "msao-chow", 400)) CHECK(r.at("decision").rfind("msao-chow:", 0) == 0);
  }
}
