// Every bundled scenario, as shipped (its own policy and request count), runs
// in a forked child under an address-space cap and reports its peak RSS,
// which must stay within the bound docs/scenario.md ("Memory") states. A
// scenario that outgrows the cap fails (bad_alloc) instead of swapping.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "sim/run/run_scenario.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// docs/scenario.md: every bundled scenario peaks below 512 MiB resident
// (fleet.yaml, the largest, measured 170 MiB) within a 4 GiB address space.
constexpr long kRssBoundKiB = 512L << 10;
constexpr rlim_t kAddressSpaceCap = rlim_t(4) << 30;

// Scenarios too long to run whole in the suite run shortened; their
// as-shipped peak is measured and stated in docs/scenario.md ("Memory").
// fleet-day.yaml: a day of 300 devices, 80,000 requests.
std::vector<std::string> shortened(const std::filesystem::path& p) {
  if (p.filename() == "fleet-day.yaml") return {"workload.requests=5000"};
  return {};
}

// Sweep and tune files live beside the scenarios; they have a `base:`.
bool is_scenario(const std::filesystem::path& p) {
  return p.extension() == ".yaml" && !YAML::LoadFile(p.string())["base"];
}

}  // namespace

TEST_CASE("every bundled scenario runs within the documented memory bound") {
  int scenarios = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios")) {
    if (!is_scenario(e.path())) continue;
    ++scenarios;
    CAPTURE(e.path().filename().string());
    const auto r = fork_run([&] {
#ifndef MSAO_SANITIZE
      // ASan reserves terabytes of shadow address space: no cap there.
      const rlimit cap{kAddressSpaceCap, kAddressSpaceCap};
      setrlimit(RLIMIT_AS, &cap);
#endif
      const RunOutput out = run_scenario(load_scenario(e.path().string(), shortened(e.path())));
      rusage usage{};
      getrusage(RUSAGE_SELF, &usage);
      return std::to_string(out.summary.completed + out.summary.rejected) + " " +
             std::to_string(out.summary.requests) + " " + std::to_string(usage.ru_maxrss);
    });
    REQUIRE_MESSAGE(r.ok, "status " << r.status << ": " << r.out);
    std::istringstream in(r.out);
    size_t finished = 0, requests = 0;
    long peak_kib = 0;
    in >> finished >> requests >> peak_kib;
    CHECK(requests > 0);
    CHECK(finished == requests);
    MESSAGE("peak RSS " << peak_kib / 1024 << " MiB");
#ifndef MSAO_SANITIZE
    // Instrumented builds carry shadow memory and redzones: the bound is
    // for the build users run.
    CHECK(peak_kib <= kRssBoundKiB);
#endif
  }
  CHECK(scenarios >= 5);
}
