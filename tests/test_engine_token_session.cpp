// Token-level sessions against hand computation: exact latency of serial
// draft/verify rounds, the exact overlap pipelining buys, a hand-off's bytes
// and tokens, and token conservation for every token-level policy on the
// paper scenario. Every simulation runs in a forked child.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/run/run_scenario.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "tests/token_fixtures.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// 1 MB/s, 10 ms one way; cloud: 0.1 ms per prefill token, 20 ms per decode step.
constexpr double kBw = 1e6, kLat = 0.010, kPre = 1e-4, kStep = 0.020;

struct Outcome {
  double latency = 0, ttft = 0, handoff_bytes = 0;
  int rounds = 0, drafted = 0, accepted = 0, corrected = 0, cloud = 0, edge_only = 0, handoff_step = -1;
};

Outcome run_one(std::shared_ptr<TokenRule> rule, int output_tokens, double acceptance,
                std::shared_ptr<const TokenCosts> costs = std::make_shared<FixedCosts>()) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(kBw, kLat);
    s.cloud_cost = linear_cloud_cost(kPre, kStep);
    Request q;
    q.output_tokens = output_tokens;
    q.draft_acceptance = acceptance;
    s.requests = {q};
    s.planner = [&](const Request&, const Observation&) { return token_plan(rule, costs); };
    const auto res = run_simulation(s);
    const RequestRecord& x = res.records[0];
    std::ostringstream os;
    os.precision(17);
    os << x.latency() << " " << x.ttft() << " " << x.handoff_bytes << " " << x.rounds << " " << x.draft_tokens << " "
       << x.accepted_tokens << " " << x.corrected_tokens << " " << x.cloud_tokens << " " << x.edge_only_tokens << " "
       << x.handoff_step << " " << static_cast<int>(x.status);
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::istringstream is(r.out);
  Outcome o;
  int status = -1;
  is >> o.latency >> o.ttft >> o.handoff_bytes >> o.rounds >> o.drafted >> o.accepted >> o.corrected >> o.cloud >>
      o.edge_only >> o.handoff_step >> status;
  CHECK(status == static_cast<int>(RequestStatus::Completed));
  return o;
}

const FixedCosts kCost;
// One verification pass on the cached context: draft up, one prefill iteration, reply down.
const double kPass = 2 * kLat + kCost.verify_up / kBw + kCost.verify_tokens * kPre + kCost.verify_down / kBw;
// The first pass: its message leaves once the context's upload is done (the
// cloud lane sends in order) and the draft is ready, and its job queues
// behind the context's prefill.
double first_pass_end(int first_draft) {
  const double ctx_up = kLat + kCost.ctx_up / kBw;
  const double sent = std::max(ctx_up, kCost.edge_ctx_s + first_draft * kCost.draft_s);
  const double job = std::max(sent + kLat + kCost.verify_up / kBw, ctx_up + kCost.ctx_tokens * kPre);
  return job + kCost.verify_tokens * kPre + kLat + kCost.verify_down / kBw;
}

// A 20-token session whose cloud has KV room for 10 tokens only, under
// `rule`, run to `horizon` (0: to the end): "status edge_only accepted".
std::string rejected_session(std::shared_ptr<TokenRule> rule, double horizon) {
  auto r = fork_run([&] {
    SimSetup s;
    s.platform = one_edge_platform(kBw, kLat);
    s.cloud_cost = linear_cloud_cost(kPre, kStep);
    s.cloud_cost.kv_bytes_per_token = 1;
    s.cloud_cost.kv_capacity_bytes = 10;
    s.horizon_s = horizon;
    Request q;
    q.output_tokens = 20;
    q.draft_acceptance = 1.0;
    s.requests = {q};
    auto costs = std::make_shared<FixedCosts>();
    s.planner = [&](const Request&, const Observation&) { return token_plan(rule, costs); };
    const auto res = run_simulation(s);
    const RequestRecord& x = res.records[0];
    std::ostringstream os;
    os << status_name(x.status) << " " << x.edge_only_tokens << " " << x.accepted_tokens;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  return r.out;
}

}  // namespace

TEST_CASE("two serial draft/verify rounds take exactly the hand-computed time") {
  // Every draft accepted: 2 drafted + 1 bonus per round, 5 tokens in 2 rounds.
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false), 5, 1.0);
  const double p1 = first_pass_end(2);
  // The context upload (60 ms) outlasts the edge's context and draft (30
  // ms); the pass's message (10.1 ms) arrives after the prefill (10 ms).
  CHECK(p1 == doctest::Approx(0.060 + 0.0101 + 0.0005 + 0.01005).epsilon(1e-12));
  CHECK(o.ttft == doctest::Approx(p1).epsilon(1e-9));
  CHECK(o.latency == doctest::Approx(p1 + 2 * kCost.draft_s + kPass).epsilon(1e-9));
  CHECK(o.rounds == 2);
  CHECK(o.accepted == 4);
  CHECK(o.corrected == 1);  // the first round's bonus; the second stops at the answer's end
  CHECK(o.accepted + o.corrected + o.cloud + o.edge_only == 5);
}

TEST_CASE("no draft accepted: every round yields only the cloud's correction") {
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false), 3, 0.0);
  CHECK(o.rounds == 3);
  CHECK(o.accepted == 0);
  CHECK(o.corrected == 3);
  // Rounds of 2, 2 and 1 drafts (the last clamped to the answer's end).
  CHECK(o.latency == doctest::Approx(first_pass_end(2) + 2 * kPass + 3 * kCost.draft_s).epsilon(1e-9));
}

TEST_CASE("pipelined rounds finish earlier than serial ones by exactly the drafting they overlap") {
  // gamma 4, 8 tokens, all accepted. Serial: 0 -> 5 in round 1, then 3 more
  // drafted (3 x 5 ms) and verified. Pipelined: those 3 (and the bonus
  // position) are drafted while round 1 is verified, so round 2 starts at
  // round 1's reply.
  const Outcome serial = run_one(std::make_shared<ScriptedRule>(4, false), 8, 1.0);
  const Outcome piped = run_one(std::make_shared<ScriptedRule>(4, true), 8, 1.0);
  CHECK(serial.rounds == 2);
  CHECK(piped.rounds == 2);
  const double p1 = first_pass_end(4);
  CHECK(serial.latency == doctest::Approx(p1 + 3 * kCost.draft_s + kPass).epsilon(1e-9));
  CHECK(piped.latency == doctest::Approx(p1 + kPass).epsilon(1e-9));
  CHECK(serial.latency - piped.latency == doctest::Approx(3 * kCost.draft_s).epsilon(1e-9));
  // The pipelined edge drafted 4 speculative tokens of which the bonus replaced one.
  CHECK(piped.drafted == 8);
  CHECK(piped.accepted + piped.corrected == 8);
}

TEST_CASE("a hand-off at step k sends the documented bytes and the cloud generates exactly the rest") {
  // Round 1 verifies 2 (+1 bonus): step 3; the next draft is handed off.
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false, 3), 9, 1.0);
  CHECK(o.handoff_step == 3);
  CHECK(o.handoff_bytes == kCost.header + 4.0 * 3);
  CHECK(o.cloud == 9 - 3);
  CHECK(o.accepted + o.corrected + o.cloud + o.edge_only == 9);
  // The discarded draft still took the edge's time before the hand-off.
  const double handoff = kLat + o.handoff_bytes / kBw + 1 * kPre + 5 * kStep + kLat + (kCost.header + 4.0 * 6) / kBw;
  CHECK(o.latency == doctest::Approx(first_pass_end(2) + 2 * kCost.draft_s + handoff).epsilon(1e-9));
}

TEST_CASE("a hand-off right after the context prefill runs no pass before decoding: its first token is ready") {
  // The edge's context and 2-token draft end at 30 ms; the cloud lane sends
  // the hand-off once the context upload is done (60 ms): it arrives at
  // 70.3 ms, after the context prefill (60 + 10 ms), whose logits give the
  // first token at once; the other 4 are 4 decode steps, then the reply.
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false, 0), 5, 1.0);
  CHECK(o.handoff_step == 0);
  CHECK(o.handoff_bytes == kCost.header);
  CHECK(o.rounds == 0);
  CHECK(o.cloud == 5);
  const double ctx_up = kLat + kCost.ctx_up / kBw;
  const double arrives = ctx_up + kLat + kCost.header / kBw;
  CHECK(arrives > ctx_up + kCost.ctx_tokens * kPre);
  CHECK(o.latency == doctest::Approx(arrives + 4 * kStep + kLat + (kCost.header + 4.0 * 5) / kBw).epsilon(1e-9));
}

TEST_CASE("a hand-off carrying the draft's confident lead keeps its agreeing tokens and generates only the rest") {
  // Round 1 verifies 2 (+1 bonus): step 3. The next 2-token draft goes up
  // with the hand-off; every token agrees, so the cloud's pass over the
  // last token and the 2 drafts (3 positions) yields token 6, and 3 decode
  // steps give the remaining 3 of 9.
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false, 3, true), 9, 1.0);
  CHECK(o.handoff_step == 5);
  CHECK(o.handoff_bytes == kCost.header + 4.0 * (3 + 2));
  CHECK(o.accepted == 2 + 2);
  CHECK(o.corrected == 1);
  CHECK(o.cloud == 4);
  CHECK(o.accepted + o.corrected + o.cloud + o.edge_only == 9);
  const double handoff = kLat + o.handoff_bytes / kBw + 3 * kPre + 3 * kStep + kLat + (kCost.header + 4.0 * 4) / kBw;
  CHECK(o.latency == doctest::Approx(first_pass_end(2) + 2 * kCost.draft_s + handoff).epsilon(1e-9));
  // Against discarding the draft: two decode steps fewer for two more prefilled positions.
  const Outcome discard = run_one(std::make_shared<ScriptedRule>(2, false, 3), 9, 1.0);
  CHECK(discard.latency - o.latency == doctest::Approx(2 * kStep - 2 * kPre).epsilon(1e-9));
}

TEST_CASE("a hand-off's lead that disagrees at its first token keeps nothing of it") {
  // Acceptance 0: round 1 yields only the correction (step 1); the 2-token
  // lead of the next draft is rejected at once, so the cloud generates all
  // 8 remaining tokens, the first from its pass over the lead.
  const Outcome o = run_one(std::make_shared<ScriptedRule>(2, false, 1, true), 9, 0.0);
  CHECK(o.handoff_step == 1);
  CHECK(o.accepted == 0);
  CHECK(o.corrected == 1);
  CHECK(o.cloud == 8);
  CHECK(o.accepted + o.corrected + o.cloud + o.edge_only == 9);
}

TEST_CASE("a session whose cloud rejects it is unfinished, not completed, until the edge has drafted the rest") {
  // The context job needs 100 tokens of KV against room for 10: rejected
  // when it arrives (60 ms). The edge then drafts the 20 tokens
  // alone, after 60 ms, at 5 ms a token. A run ending at 100 ms leaves the
  // request unfinished, its books checked.
  for (const double horizon : {0.1, 0.0}) {
    CAPTURE(horizon);
    const std::string out = rejected_session(std::make_shared<ScriptedRule>(2, false), horizon);
    if (horizon > 0)
      CHECK(out.rfind("unfinished ", 0) == 0);
    else
      CHECK(out == "completed 20 0");
  }
}

TEST_CASE("every token-level policy conserves tokens on every request of the paper scenario") {
  for (const char* policy : {"msao", "dsd", "ce-collm", "token-routing", "spec-decode"}) {
    CAPTURE(policy);
    auto r = fork_run([&] {
      const RunOutput out = run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
                                                       {"policy.type=" + std::string(policy), "workload.requests=300"}));
      size_t token_level = 0, bad = 0, verified = 0;
      for (const auto& x : out.sim.records) {
        if (x.mode != "tokens") continue;
        ++token_level;
        verified += x.verified_tokens;
        const bool conserved =
            x.accepted_tokens + x.corrected_tokens + x.cloud_tokens + x.edge_only_tokens == x.output_tokens;
        bad += !conserved || x.status != RequestStatus::Completed || x.accepted_tokens > x.verified_tokens ||
               x.verified_tokens > x.draft_tokens;
      }
      return std::to_string(token_level) + " " + std::to_string(bad) + " " + std::to_string(verified) + " " +
             std::to_string(out.summary.completed);
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    size_t token_level = 0, bad = 1, verified = 0, completed = 0;
    is >> token_level >> bad >> verified >> completed;
    CHECK(token_level > 0);
    CHECK(bad == 0);
    CHECK(completed == 300);
  }
}

TEST_CASE("phases compose: a cascade whose escalation is token-level collaboration") {
  // EdgePre, EdgeAnswer, StopIfConfident, Tokens: an unsure 40 ms edge
  // answer, then the token session starts from scratch at 40 ms.
  for (bool confident : {false, true}) {
    CAPTURE(confident);
    auto r = fork_run([&] {
      SimSetup s;
      s.platform = one_edge_platform(kBw, kLat);
      s.cloud_cost = linear_cloud_cost(kPre, kStep);
      Request q;
      q.output_tokens = 5;
      q.draft_acceptance = 1;
      s.requests = {q};
      auto rule = std::make_shared<ScriptedRule>(2, false);
      auto costs = std::make_shared<FixedCosts>();
      s.planner = [&](const Request&, const Observation&) {
        ExecPlan p = token_plan(rule, costs);
        p.phases = {Phase::EdgePre, Phase::EdgeAnswer, Phase::StopIfConfident, Phase::Tokens};
        p.edge_answer_s = 0.040;
        p.edge_ttft_s = 0.030;
        p.edge_confident = confident;
        return p;
      };
      const auto res = run_simulation(s);
      const RequestRecord& x = res.records[0];
      std::ostringstream os;
      os.precision(17);
      os << x.latency() << " " << x.rounds << " " << name(x.answered_by) << " " << name(x.spec_outcome);
      return os.str();
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    double latency = 0;
    int rounds = -1;
    std::string by, outcome;
    is >> latency >> rounds >> by >> outcome;
    if (confident) {
      CHECK(latency == doctest::Approx(0.040).epsilon(1e-12));
      CHECK(rounds == 0);
      CHECK(outcome == "edge-accepted");
    } else {
      CHECK(latency == doctest::Approx(0.040 + first_pass_end(2) + 2 * kCost.draft_s + kPass).epsilon(1e-9));
      CHECK(rounds == 2);
      CHECK(by == "cloud");
      CHECK(outcome == "verified");
    }
  }
}

namespace {
// The cloud leads: its context job (60 ms up, 10 ms prefill) yields token 0
// at 70 ms and decodes one token per 20 ms step after it.
constexpr double kGenStart = 0.060 + 100 * kPre;
// A plain offload of the same job: the N-1 decode steps, then a reply of all N tokens.
double offload_end(int n) { return kGenStart + (n - 1) * kStep + kLat + (kCost.header + 4.0 * n) / kBw; }

Outcome run_lead(int gamma, int drafts, double draft_s, int n) {
  auto costs = std::make_shared<FixedCosts>();
  costs->draft_s = draft_s;
  const Outcome o = run_one(std::make_shared<LeadRule>(gamma, drafts), n, 1.0, costs);
  CHECK(o.accepted + o.corrected + o.cloud + o.edge_only == n);
  return o;
}
}  // namespace

TEST_CASE("the cloud leads: an edge drafting slower than the cloud decodes ends exactly as the offload would") {
  // 25 ms a drafted token against 20 ms a decode step. The first draft (4
  // tokens, 20-120 ms) goes up after the context upload and arrives at
  // 130.316 ms, when the cloud has 4 tokens and a 5th in its iteration: all
  // behind, nothing offered; the reply (316 B) tells the edge 4 tokens. Its
  // second draft is still running when the cloud, done at 70 + 7 x 20 ms,
  // sends the other 4: the request ends as the offload, less the 16 B of
  // the 4 tokens the edge already had.
  const int n = 8;
  const Outcome o = run_lead(4, 2, 0.025, n);
  CHECK(o.latency == doctest::Approx(kGenStart + (n - 1) * kStep + kLat + (kCost.header + 4.0 * 4) / kBw).epsilon(1e-9));
  CHECK(offload_end(n) - o.latency == doctest::Approx(4 * 4.0 / kBw).epsilon(1e-6));
  CHECK(o.rounds == 0);
  CHECK(o.accepted == 0);
  CHECK(o.cloud == n);
  CHECK(o.drafted == 8);  // the second draft, cancelled, included
}

TEST_CASE("the cloud leads: a draft ahead of the cloud saves exactly the decode steps its multi-token step replaces") {
  // 1 ms a drafted token: the 4-token draft is ready at 24 ms, goes up
  // after the context upload and arrives at 70.316 ms, while the cloud
  // decodes token 1 (70-90 ms). Positions 0 and 1 agree with the cloud's;
  // drafts 2 and 3 join the next iteration (90 ms) as a 3-position step
  // (0.3 ms) that keeps both and adds the cloud's token 4: 5 tokens at
  // 90.3 ms. Three decode steps give the other 3 (150.3 ms), and the final
  // reply carries them (312 B).
  const int n = 8;
  const Outcome o = run_lead(4, 1, 0.001, n);
  const double end = kGenStart + kStep + 3 * kPre + 3 * kStep + kLat + (kCost.header + 4.0 * 3) / kBw;
  CHECK(o.latency == doctest::Approx(end).epsilon(1e-9));
  // Against the offload: tokens 2-4 in one 3-position pass instead of 3
  // decode steps, and 5 tokens fewer in the final reply.
  CHECK(offload_end(n) - o.latency == doctest::Approx(3 * kStep - 3 * kPre + 5 * 4.0 / kBw).epsilon(1e-9));
  CHECK(o.rounds == 1);
  CHECK(o.accepted == 2);
  CHECK(o.corrected == 1);
  CHECK(o.cloud == 5);
}

TEST_CASE("the cloud leads: a rejected generation leaves the edge to finish the answer, unfinished until it has") {
  // The generation needs 107 tokens of KV against room for 10: rejected on
  // arrival (60 ms); the edge drafts all 20 tokens alone.
  for (const double horizon : {0.1, 0.0}) {
    CAPTURE(horizon);
    const std::string out = rejected_session(std::make_shared<LeadRule>(2, 100), horizon);
    if (horizon > 0)
      CHECK(out.rfind("unfinished ", 0) == 0);
    else
      CHECK(out == "completed 20 0");
  }
}

TEST_CASE("the cloud leads: msao with lead=1 conserves tokens on the paper scenario under vLLM and eager serving") {
  for (const char* serving : {"vllm", "hf-eager"}) {
    CAPTURE(serving);
    auto r = fork_run([&] {
      const RunOutput out = run_scenario(load_scenario(
          std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
          {"policy.type=msao", "policy.lead=1", "platform.serving=" + std::string(serving),
           "workload.dataset=detail-description", "workload.requests=150"}));
      size_t token_level = 0, bad = 0, accepted = 0;
      for (const auto& x : out.sim.records) {
        if (x.mode != "tokens") continue;
        ++token_level;
        accepted += x.accepted_tokens;
        const bool conserved =
            x.accepted_tokens + x.corrected_tokens + x.cloud_tokens + x.edge_only_tokens == x.output_tokens;
        bad += !conserved || x.status != RequestStatus::Completed || x.accepted_tokens > x.verified_tokens ||
               x.verified_tokens > x.draft_tokens || x.edge_only_tokens > 0;
      }
      return std::to_string(token_level) + " " + std::to_string(bad) + " " + std::to_string(accepted) + " " +
             std::to_string(out.summary.completed);
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    CAPTURE(r.out);
    std::istringstream is(r.out);
    size_t token_level = 0, bad = 1, accepted = 0, completed = 0;
    is >> token_level >> bad >> accepted >> completed;
    CHECK(token_level > 0);
    CHECK(bad == 0);
    CHECK(completed == 150);
  }
}
