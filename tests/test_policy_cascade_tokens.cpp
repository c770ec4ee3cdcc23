// cascade-tokens, the scheme written as a phase sequence alone (EdgePre,
// EdgeAnswer, StopIfConfident, Tokens), on whole runs of bundled scenarios
// with the engine's invariant checker on (a broken book fails the run):
// every request is answered, a confident edge answer sends nothing, and an
// escalated request's tokens add up to its answer.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/engine/phase.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct Books {
  size_t requests = 0, records = 0, completed = 0, confident = 0, escalated = 0;
  size_t confident_sent = 0, escalated_silent = 0, tokens_off = 0, wrong_mode = 0;
};

Books run_cascade_tokens(const std::string& scenario) {
  auto r = fork_run([&] {
    const Scenario sc = load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/" + scenario,
                                      {"policy.type=cascade-tokens", "workload.requests=300", "run.check_invariants=true"});
    const RunOutput out = run_scenario(sc);
    const std::string mode =
        scheme_name({Phase::EdgePre, Phase::EdgeAnswer, Phase::StopIfConfident, Phase::Tokens});
    Books b;
    b.requests = out.summary.requests;
    for (const RequestRecord& x : out.sim.records) {
      ++b.records;
      b.completed += x.status == RequestStatus::Completed;
      b.wrong_mode += x.mode != mode;
      const bool confident = x.decision == "cascade-tokens:edge";
      const double sent = x.uplink_bytes + x.downlink_bytes;
      if (confident) {
        ++b.confident;
        b.confident_sent += sent > 0 || x.rounds > 0;
      } else {
        ++b.escalated;
        b.escalated_silent += sent <= 0;
        const int tokens = x.accepted_tokens + x.corrected_tokens + x.cloud_tokens + x.edge_only_tokens;
        b.tokens_off += tokens != x.output_tokens;
      }
    }
    std::ostringstream os;
    os << b.requests << " " << b.records << " " << b.completed << " " << b.confident << " " << b.escalated << " "
       << b.confident_sent << " " << b.escalated_silent << " " << b.tokens_off << " " << b.wrong_mode;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Books b;
  std::istringstream is(r.out);
  is >> b.requests >> b.records >> b.completed >> b.confident >> b.escalated >> b.confident_sent >>
      b.escalated_silent >> b.tokens_off >> b.wrong_mode;
  return b;
}

}  // namespace

TEST_CASE("cascade-tokens answers every request, confident ones on the edge alone, escalated ones token by token") {
  for (const char* scenario : {"paper.yaml", "fleet.yaml"}) {
    CAPTURE(scenario);
    const Books b = run_cascade_tokens(scenario);
    CHECK(b.requests == 300);
    CHECK(b.records == b.requests);
    CHECK(b.completed == b.requests);
    CHECK(b.confident > 0);
    CHECK(b.escalated > 0);
    CHECK(b.confident_sent == 0);
    CHECK(b.escalated_silent == 0);
    CHECK(b.tokens_off == 0);
    CHECK(b.wrong_mode == 0);
  }
}
