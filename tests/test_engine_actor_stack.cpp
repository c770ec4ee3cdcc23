// Actor stacks are plain heap blocks without a guard page (speed: see
// configure_engine), so an overflow would corrupt memory silently. Here every
// policy runs every shipped scenario on half the stack behind a guard page
// (MSAO_ACTOR_STACK_CHECK=1): an overflow crashes the child, and the
// production stack keeps at least 2x the depth these paths need.
#include <doctest/doctest.h>

#include <cstdlib>

#include "sim/engine/engine_config.hpp"
#include "sim/policy/policy.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("every policy on every scenario runs on half the actor stack behind a guard page") {
  for (const char* file : {"quickstart.yaml", "paper.yaml", "video-link.yaml", "cloud-serving.yaml", "fleet.yaml",
                           "fleet-day.yaml"}) {
    for (const auto& info : all_policies()) {
      CAPTURE(file);
      CAPTURE(info.name);
      auto r = fork_run([&] {
        setenv("MSAO_ACTOR_STACK_CHECK", "1", 1);
        REQUIRE(actor_stack_check_enabled());
        const Scenario sc = load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/" + file,
                                          {"workload.requests=150", "policy.type=" + info.name});
        const RunOutput out = run_scenario(sc);
        return std::to_string(out.summary.completed + out.summary.rejected) + " " + std::to_string(out.summary.requests);
      });
      REQUIRE_MESSAGE(r.ok, "status " << r.status << ": " << r.out);
      const auto sp = r.out.find(' ');
      CHECK(r.out.substr(0, sp) == r.out.substr(sp + 1));
      CHECK(r.out == "150 150");
    }
  }
}
