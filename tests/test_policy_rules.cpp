// Each policy's decision on hand-made requests and observations matches the
// rule its file states. No SimGrid: the planner is built from the catalogs.
#include <doctest/doctest.h>

#include <set>

#include "tests/policy_test_util.hpp"
#include "workloads/mas.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("every registered policy declares a description and valid parameters") {
  std::set<std::string> names;
  for (const auto& p : all_policies()) {
    CHECK(names.insert(p.name).second);
    CHECK(!p.description.empty());
    for (const auto& ps : p.params) {
      CHECK(ps.lo <= ps.dflt);
      CHECK(ps.dflt <= ps.hi);
      CHECK(!ps.help.empty());
    }
  }
  for (const char* n : {"edge-only", "cloud-only", "neurosurgeon", "dads", "perllm", "cascade", "token-prune",
                        "spec-decode", "msao", "oracle", "dsd", "ce-collm", "token-routing"})
    CHECK(names.count(n) == 1);
}

TEST_CASE("neurosurgeon and dads keep everything on the edge at 1 kB/s and offload at 1 GB/s") {
  const Planner pl = paper_planner();
  const Request r = image_request();
  for (const char* name : {"neurosurgeon", "dads"}) {
    auto pol = make_policy(name);
    const Plan slow = decide(*pol, r, link(1e3), pl), fast = decide(*pol, r, link(1e9), pl);
    CHECK(slow.placement == Placement::Split);
    CHECK(pl.plan(r, slow).phases == scheme::kEdge);
    CHECK(pl.plan(r, fast).phases == scheme::kOffload);
    CHECK(pl.plan(r, fast).cloud.prefill_tokens > 0);
  }
}

TEST_CASE("neurosurgeon and dads predict no worse than the all-edge and all-cloud extremes of the chain") {
  const Planner pl = paper_planner();
  const Request r = image_request();
  for (double bw : {1e4, 1e5, 1e6, 37.5e6, 1e9}) {
    const cost::StageDag dag = pl.stage_dag(r, {1, 1, 1});
    std::vector<cost::Side> edge(dag.size(), cost::Side::Edge), cloud(dag.size(), cost::Side::Cloud);
    for (int v = 0; v < dag.size(); ++v)
      if (dag.node(v).pinned_edge) cloud[v] = cost::Side::Edge;
    const double t_edge = cost::evaluate(dag, edge, bw, 0.02).latency_s;
    const double t_cloud = cost::evaluate(dag, cloud, bw, 0.02).latency_s;
    const auto split = cost::best_split(dag, bw, 0.02);
    const auto cut = cost::min_cut(dag, bw, 0.02);
    CHECK(split.latency_s <= std::min(t_edge, t_cloud) + 1e-9);
    CHECK(cut.latency_s <= split.latency_s + 1e-9);
    const Plan pn = decide(*make_policy("neurosurgeon"), r, link(bw), pl);
    const Plan pd = decide(*make_policy("dads"), r, link(bw), pl);
    CHECK(pn.edge_stages == split.edge_stages);
    CHECK(pd.edge_stages == cut.edge_stages);
  }
}

TEST_CASE("cascade plans an edge run and escalates below its threshold") {
  const Planner pl = paper_planner();
  auto pol = make_policy("cascade", {{"threshold", 0.8}});
  for (double conf : {0.5, 0.79, 0.8, 0.95}) {
    const Request r = image_request(0.4, 0.9, conf);
    const Plan p = decide(*pol, r, link(37.5e6), pl);
    CHECK(p.spec == Speculation::Cascade);
    CHECK(p.confidence_threshold == 0.8);
    const ExecPlan e = pl.plan(r, p);
    CHECK(e.phases == scheme::kCascade);
    CHECK(e.edge_confident == (conf >= 0.8));
  }
}

TEST_CASE("token-prune keeps FastV's fraction after its layer and stays on the edge") {
  const Planner pl = paper_planner();
  const Request r = image_request();
  const Plan p = decide(*make_policy("token-prune"), r, link(37.5e6), pl);
  CHECK(p.placement == Placement::Edge);
  CHECK(p.token_keep == 0.5);
  CHECK(p.prune_layer == 2);
  const ExecPlan pruned = pl.plan(r, p), full = pl.plan(r, decide(*make_policy("edge-only"), r, link(37.5e6), pl));
  CHECK(pruned.phases == scheme::kEdge);
  CHECK(pruned.edge_answer_s < full.edge_answer_s);
  CHECK(pruned.upload_bytes == 0);
}

TEST_CASE("spec-decode plans token-level rounds of gamma and skips verification only above its U-HLM threshold") {
  const Planner pl = paper_planner();
  Request r = image_request(0.4, 0.9, 0.8);
  r.output_tokens = 41;
  const Plan p = decide(*make_policy("spec-decode", {{"gamma", 5}}), r, link(37.5e6), pl);
  CHECK(p.spec == Speculation::Tokens);
  REQUIRE(p.rule);
  CHECK(p.rule->window(RoundState{}) == 5);
  CHECK(p.rule->after_draft(RoundState{}) == AfterDraft::Verify);
  CHECK_FALSE(p.rule->pipelined);
  const ExecPlan e = pl.plan(r, p);
  CHECK(e.phases == scheme::kTokens);
  const Plan skip = decide(*make_policy("spec-decode", {{"skip_confidence", 0.7}}), r, link(37.5e6), pl);
  CHECK(pl.plan(r, skip).phases == scheme::kEdge);
  r.edge_confidence = 0.6;
  CHECK(pl.plan(r, decide(*make_policy("spec-decode", {{"skip_confidence", 0.7}}), r, link(37.5e6), pl)).phases ==
        scheme::kTokens);
}

namespace {
RequestRecord outcome(double latency, double edge_s, double cloud_s) {
  RequestRecord rec;
  rec.arrival = 0;
  rec.done = latency;
  rec.edge_busy_s = edge_s;
  rec.cloud_busy_s = cloud_s;
  rec.status = RequestStatus::Completed;
  return rec;
}
}  // namespace

TEST_CASE("perllm tries each arm then picks the cheaper arm that meets the deadline per class") {
  const Planner pl = paper_planner();
  auto pol = make_policy("perllm", {{"deadline_s", 0.5}});
  const Request a = image_request();
  Request b = image_request();
  b.category = "number";
  const Observation o = link(37.5e6);
  // Untried arms first: cloud, then edge.
  Plan p1 = decide(*pol, a, o, pl);
  CHECK(p1.placement == Placement::Cloud);
  pol->observe(a, p1, outcome(0.2, 0.0, 0.5));
  Plan p2 = decide(*pol, a, o, pl);
  CHECK(p2.placement == Placement::Edge);
  pol->observe(a, p2, outcome(0.1, 0.1, 0.0));
  // Edge is cheaper and within the deadline: exploited from now on.
  int edge = 0;
  for (int i = 0; i < 50; ++i) {
    Plan p = decide(*pol, a, o, pl);
    edge += p.placement == Placement::Edge;
    pol->observe(a, p, p.placement == Placement::Edge ? outcome(0.1, 0.1, 0) : outcome(0.2, 0, 0.5));
  }
  CHECK(edge >= 45);
  // Another class learns separately: there the edge misses the deadline every time.
  Plan q1 = decide(*pol, b, o, pl);
  CHECK(q1.placement == Placement::Cloud);
  pol->observe(b, q1, outcome(0.2, 0, 0.5));
  int cloud = 0;
  for (int i = 0; i < 100; ++i) {
    Plan p = decide(*pol, b, o, pl);
    cloud += p.placement == Placement::Cloud;
    pol->observe(b, p, p.placement == Placement::Edge ? outcome(2.0, 0.1, 0) : outcome(0.2, 0, 0.5));
  }
  CHECK(cloud >= 80);
}

TEST_CASE("msao keeps the MAS-needed fraction with its margin and drops irrelevant modalities") {
  const Planner pl = paper_planner();
  auto pol = make_policy("msao", {{"margin", 0.25}, {"drop_modal", 0.2}});
  const Request r = image_request(0.4, 0.9, 0.5);
  const Plan p = decide(*pol, r, link(37.5e6), pl);
  CHECK(p.mas_on_edge);
  CHECK(p.keep[0] == doctest::Approx(0.5));
  CHECK(correct_under_keep(true, r, p.keep));  // nothing that matters is lost at or above the needed fraction
  const Request irrelevant = image_request(0.4, 0.1, 0.5);
  CHECK(decide(*pol, irrelevant, link(37.5e6), pl).keep[0] == 0.0);
  // The pruned content is not uploaded.
  CHECK(pl.plan(r, p).upload_bytes < pl.upload_bytes(r, {1, 1, 1}));
}

TEST_CASE("msao collab=0 races the edge against the pruned cloud path with its confidence threshold") {
  const Planner pl = paper_planner();
  auto pol = make_policy("msao", {{"confidence", 0.85}, {"collab", 0}});
  for (double conf : {0.5, 0.9}) {
    const Request r = image_request(0.4, 0.9, conf);
    const Plan p = decide(*pol, r, link(37.5e6), pl);
    CHECK(p.placement == Placement::Cloud);
    CHECK(p.spec == Speculation::Race);
    const ExecPlan e = pl.plan(r, p);
    CHECK(e.phases == scheme::kRace);
    CHECK(e.edge_confident == (conf >= 0.85));
  }
}

TEST_CASE("msao collab=1 plans pipelined token-level rounds that verify confident drafts and hand off unsure ones") {
  const Planner pl = paper_planner();
  const Request r = image_request();
  const Plan p = decide(*make_policy("msao", {{"confidence", 0.8}, {"gamma", 3}}), r, link(37.5e6), pl);
  CHECK(p.spec == Speculation::Tokens);
  REQUIRE(p.rule);
  CHECK(p.rule->pipelined);
  CHECK(p.rule->context_upfront);
  CHECK(p.rule->stop_below == 0.8);
  RoundState s;
  CHECK(p.rule->window(s) == 3);
  s.min_confidence = 0.85;
  CHECK(p.rule->after_draft(s) == AfterDraft::Verify);
  s.min_confidence = 0.75;
  CHECK(p.rule->after_draft(s) == AfterDraft::Handoff);
  // The pruned inputs are what goes up with the context.
  const ExecPlan e = pl.plan(r, p);
  CHECK(e.phases == scheme::kTokens);
  CHECK(e.tokens.costs->cloud_context().up_bytes == pl.upload_bytes(r, p.keep));
}

TEST_CASE("msao answers on the edge when the observed link makes the cloud path too slow") {
  const Planner pl = paper_planner();
  auto pol = make_policy("msao");
  const Request r = image_request();
  CHECK(decide(*pol, r, link(1e3), pl).placement == Placement::Edge);
  // A long reported cloud queue does the same.
  CHECK(decide(*pol, r, link(37.5e6, 0.02, 100000), pl).placement == Placement::Edge);
  CHECK(decide(*pol, r, link(37.5e6, 0.02, 0), pl).placement == Placement::Cloud);
}

TEST_CASE("msao ablation switches turn off MAS pruning and speculation separately") {
  const Planner pl = paper_planner();
  const Request r = image_request();
  const Plan no_mas = decide(*make_policy("msao", {{"mas_aware", 0}}), r, link(37.5e6), pl);
  CHECK(!no_mas.mas_on_edge);
  CHECK(no_mas.keep[0] == 1.0);
  CHECK(no_mas.spec == Speculation::Tokens);
  const Plan no_spec = decide(*make_policy("msao", {{"speculation", 0}}), r, link(37.5e6), pl);
  CHECK(no_spec.mas_on_edge);
  CHECK(no_spec.spec == Speculation::None);
  CHECK(pl.plan(r, no_spec).phases == scheme::kOffload);
}

TEST_CASE("oracle picks a correct plan when one exists and the fastest among correct ones") {
  const Planner pl = paper_planner();
  auto oracle = make_policy("oracle");
  const Observation o = link(37.5e6);
  int compared = 0;
  for (int edge_ok = 0; edge_ok < 2; ++edge_ok)
    for (int cloud_ok = 0; cloud_ok < 2; ++cloud_ok) {
      Request r = image_request(0.4, 0.9, 0.6);
      r.edge_correct_full = edge_ok;
      r.cloud_correct_full = cloud_ok;
      const Plan best = decide(*oracle, r, o, pl);
      const ExecPlan eb = pl.plan(r, best);
      const double tb = pl.predict_latency(eb, o);
      const bool best_ok = eb.phases == scheme::kEdge ? eb.edge_answer_correct : eb.cloud_answer_correct;
      CHECK(best_ok == (edge_ok || cloud_ok));
      for (const auto& info : all_policies()) {
        if (info.name == "oracle" || info.name == "perllm") continue;
        const ExecPlan e = pl.plan(r, decide(*make_policy(info.name), r, o, pl));
        const bool ok = e.phases == scheme::kEdge ? e.edge_answer_correct : e.cloud_answer_correct;
        if (ok == best_ok) {
          CHECK(tb <= pl.predict_latency(e, o) + 1e-12);
          ++compared;
        }
      }
    }
  CHECK(compared > 0);
}

TEST_CASE("split policies ignore a modality the models have no encoder for as the planner does") {
  const Planner pl = paper_planner();
  Request r = image_request();
  auto& audio = r.input(Modality::Audio);
  audio.present = true;
  audio.seconds = 10;
  audio.bytes = 40000;
  const cost::StageDag with_audio = pl.stage_dag(r, {1, 1, 1});
  CHECK(with_audio.size() == pl.stage_dag(image_request(), {1, 1, 1}).size());
  for (const char* name : {"neurosurgeon", "dads"}) {
    const ExecPlan e = pl.plan(r, decide(*make_policy(name), r, link(1e9), pl));
    CHECK(e.phases == scheme::kOffload);
  }
}
