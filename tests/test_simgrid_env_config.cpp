// MSAO_SIMGRID_CONFIG: SimGrid items from the environment (the sanitizer
// build runs on thread contexts with it). Malformed items are input errors;
// the context factory changes how actors are run, never what they compute.
#include <doctest/doctest.h>

#include <simgrid/s4u.hpp>

#include <cstdlib>
#include <fstream>

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
  for (const char* bad : {"contexts/factory", ":thread", "contexts/factory:", "contexts/factory:nope"}) {
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

TEST_CASE("MSAO_SIMGRID_CONFIG's context factory is the one the engine runs actors with") {
  // Thread contexts run each actor on a thread of its own; the default ones
  // do not. SimGrid picks the factory when the engine is created.
  for (const char* config : {"", "contexts/factory:thread"}) {
    CAPTURE(config);
    const ForkResult r = fork_run([&] {
      if (*config) setenv(kSimgridConfigEnv, config, 1); else unsetenv(kSimgridConfigEnv);
      const auto engine = create_engine();
      auto* zone = simgrid::s4u::create_full_zone("z");
      auto* host = zone->create_host("h", 1e9);
      zone->seal();
      std::string threads;
      simgrid::s4u::Actor::create("probe", host, [&threads] {
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);)
          if (line.rfind("Threads:", 0) == 0) threads = line.substr(line.find_first_not_of(" \t", 8));
      });
      engine->run();
      return threads;
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    CHECK(r.out == (*config ? "2" : "1"));
  }
}

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
  for (const char* item : {"no/such-key:1", "contexts/stack-size:abc"}) {
    CAPTURE(item);
    const ForkResult r = run_with_config(item, "cloud-only");
    CHECK(r.status == kInputErrorExit);
    CHECK(r.out.find("MSAO_SIMGRID_CONFIG") != std::string::npos);
    CHECK(r.out.find(item) != std::string::npos);
  }
}
