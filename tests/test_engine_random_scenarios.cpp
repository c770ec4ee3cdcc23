// Randomized scenarios keep the engine's books: a fixed set of seeds, each
// a scenario drawn from it (policy and its parameters, serving stack,
// arrival process and load, edges, static links or network traces, faults,
// tensor parallelism, chunked prefill, KV policy, dispatcher, horizon,
// conversations, caches, disaggregated pools), run
// briefly with the invariant checks on. `msao soak N` runs more of them.
#include <doctest/doctest.h>

#include <set>

#include "sim/run/random_scenario.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("256 randomly drawn scenarios run with every invariant holding") {
  std::set<std::string> policies, layouts;
  for (uint64_t seed = 1; seed <= 256; ++seed) {
    const auto over = random_scenario_overrides(seed);
    policies.insert(over.front());
    for (const auto& o : over)
      if (o.starts_with("platform.cloud.pools=")) layouts.insert(o);
    auto r = fork_run([&] {
      Scenario sc = load_scenario(random_scenario_base(), over);
      sc.check_invariants = true;
      RunOptions opt;
      opt.keep_records = false;
      const RunOutput out = run_scenario(sc, opt);
      return std::to_string(out.summary.requests);
    });
    CHECK_MESSAGE(r.ok, "seed ", seed, ": ", r.out, "\n", random_scenario_command(seed));
  }
  // The draw reaches most policies, not one corner, and disaggregated clouds of several layouts.
  CHECK(policies.size() >= 12);
  CHECK(layouts.size() >= 6);
}

TEST_CASE("a scenario drawn from a seed is the same every time and differs between seeds") {
  CHECK(random_scenario_overrides(7) == random_scenario_overrides(7));
  CHECK(random_scenario_overrides(7) != random_scenario_overrides(8));
}

TEST_CASE("msao soak runs N drawn scenarios and closes with the passed and failed count") {
  auto r = run_msao("soak 3 --from 11");
  CHECK_MESSAGE(r.status == 0, r.out);
  CHECK(r.out.find("seed 11: ok") != std::string::npos);
  CHECK(r.out.find("seed 13: ok") != std::string::npos);
  CHECK(r.out.find("\n3 passed, 0 failed\n") != std::string::npos);
}
