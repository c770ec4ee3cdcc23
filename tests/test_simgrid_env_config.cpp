// MSAO_SIMGRID_CONFIG: SimGrid items from the environment (the sanitizer
// build runs on thread contexts with it). Malformed items are input errors;
// the context factory changes how actors are run, never what they compute.
#include <doctest/doctest.h>

#include <cstdlib>

#include "sim/engine/simgrid_env_config.hpp"
#include "sim/run/run_scenario.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("MSAO_SIMGRID_CONFIG items are key:value pairs separated by spaces") {
  CHECK(parse_simgrid_config("  contexts/factory:thread   contexts/stack-size:64 ") ==
        std::vector<std::string>{"contexts/factory:thread", "contexts/stack-size:64"});
  CHECK(parse_simgrid_config("").empty());
  for (const char* bad : {"contexts/factory", ":thread", "contexts/factory:"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_simgrid_config(bad), InputError);
  }
}

namespace {

// Summary line of quickstart.yaml with 200 requests of `policy`, run in a
// child whose environment holds `config` (unset when empty).
ForkResult run_with_config(const std::string& config, const std::string& policy) {
  return fork_run([&] {
    if (config.empty()) unsetenv(kSimgridConfigEnv); else setenv(kSimgridConfigEnv, config.c_str(), 1);
    const RunOutput out = run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml",
                                                     {"workload.requests=200", "policy.type=" + policy}));
    std::ostringstream s;
    s.precision(17);
    s << out.summary.completed << " " << out.summary.latency_ms.mean << " " << out.summary.uplink_bytes;
    return s.str();
  });
}

}  // namespace

TEST_CASE("thread contexts from MSAO_SIMGRID_CONFIG give the same run as the default contexts") {
  for (const char* policy : {"msao", "dads", "cascade"}) {
    CAPTURE(policy);
    const ForkResult plain = run_with_config("", policy);
    const ForkResult threads = run_with_config("contexts/factory:thread", policy);
    REQUIRE_MESSAGE(plain.ok, plain.out);
    REQUIRE_MESSAGE(threads.ok, threads.out);
    CHECK(plain.out == threads.out);
  }
}

TEST_CASE("an item SimGrid rejects is an input error naming MSAO_SIMGRID_CONFIG") {
  const ForkResult r = run_with_config("contexts/factory:no-such-factory", "cloud-only");
  CHECK(r.status == kInputErrorExit);
  CHECK(r.out.find("MSAO_SIMGRID_CONFIG") != std::string::npos);
}
