// The simulator against loaded real vLLM servers
// (platforms/fidelity/serving.yaml, sim/cli/validate_serving.hpp): a couple
// of the cases run end to end, the table's errors are what its numbers
// say, the statistics are medians and maxima of them, and the prefix cache
// does on these workloads what a prefix cache does.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/cli/validate_serving.hpp"
#include "sim/config/input_error.hpp"

using namespace msao;

namespace {
const std::vector<std::string> kTwo = {"llama-2-7b-general-8rps", "llama-2-70b-codegen-10rps"};

cli::ServingCase made_up(double ttft_err, double itl_err, double e2e_err) {
  cli::ServingCase c;
  c.output_tokens = 11;
  c.measured = {10, 2, 30};  // ttft, itl = (30 - 10) / 10, e2e
  c.cached = {10 * (1 + ttft_err), 2 * (1 + itl_err), 30 * (1 + e2e_err)};
  c.uncached = {20, 4, 60};  // +100% each
  return c;
}
}  // namespace

TEST_CASE("serving cases: two run end to end, their errors and statistics are the table numbers") {
  const cli::ServingReport r = cli::validate_serving("serving", kTwo);
  REQUIRE(r.cases.size() == 2);
  CHECK(r.cases[0].name == kTwo[0]);
  CHECK(r.cases[1].name == kTwo[1]);
  for (const cli::ServingCase& c : r.cases) {
    CAPTURE(c.name);
    // The measured per-token figure comes from the measured means.
    CHECK(c.measured.itl_ms == doctest::Approx((c.measured.e2e_ms - c.measured.ttft_ms) / (c.output_tokens - 1)));
    for (const cli::ServingLatency* s : {&c.cached, &c.uncached}) {
      CHECK(s->requests == c.requests - c.warmup_requests);
      CHECK(s->itl_ms == doctest::Approx((s->e2e_ms - s->ttft_ms) / (c.output_tokens - 1)));
      CHECK(s->ttft_ms > 0);
      CHECK(s->e2e_ms > s->ttft_ms);
      CHECK(c.error(*s, cli::kTtft) == doctest::Approx(s->ttft_ms / c.measured.ttft_ms - 1));
      CHECK(c.error(*s, cli::kItl) == doctest::Approx(s->itl_ms / c.measured.itl_ms - 1));
      CHECK(c.error(*s, cli::kE2e) == doctest::Approx(s->e2e_ms / c.measured.e2e_ms - 1));
    }
    // Every prompt recurs whole after the warm-up: all but the last
    // partial KV block is found in the cache; with the cache off, nothing.
    CHECK(c.cached.cached_fraction > 0.95);
    CHECK(c.cached.cached_fraction < 1);
    CHECK(c.uncached.cached_fraction == 0);
    // Prefilling ~16 tokens instead of ~600 shortens the first token.
    CHECK(c.cached.ttft_ms < c.uncached.ttft_ms);
  }
  for (bool on : {true, false}) {
    const cli::ServingErrors& e = on ? r.cached : r.uncached;
    std::vector<double> all;
    for (int m = 0; m < cli::kServingMetrics; ++m) {
      const double a = std::fabs(r.cases[0].error(on ? r.cases[0].cached : r.cases[0].uncached, m));
      const double b = std::fabs(r.cases[1].error(on ? r.cases[1].cached : r.cases[1].uncached, m));
      CHECK(e.median[m] == doctest::Approx((a + b) / 2));
      CHECK(e.worst[m] == doctest::Approx(std::max(a, b)));
      all.push_back(a);
      all.push_back(b);
    }
    std::sort(all.begin(), all.end());
    CHECK(e.median_all == doctest::Approx((all[2] + all[3]) / 2));
    CHECK(e.worst_all == doctest::Approx(all.back()));
  }
  std::ostringstream out;
  cli::print_serving(r, out);
  CHECK(out.str().find(kTwo[0]) != std::string::npos);
  CHECK(out.str().find(kTwo[1]) != std::string::npos);
  CHECK(out.str().find("prefix cache on: |error| median TTFT") != std::string::npos);
  CHECK(out.str().find("over 2 serving cases") != std::string::npos);
  const std::string md = cli::serving_markdown(r);
  CHECK(md.find("| prefix cache off, worst |") != std::string::npos);
}

TEST_CASE("serving statistics: medians and maxima of |error| per metric and over all") {
  // TTFT errors +10%, -20%, +5%; ITL 0, +30%, -1%; E2E -4%, +2%, +3%.
  const std::vector<cli::ServingCase> cases = {made_up(0.10, 0.0, -0.04), made_up(-0.20, 0.30, 0.02),
                                               made_up(0.05, -0.01, 0.03)};
  const cli::ServingErrors on = cli::serving_errors(cases, true);
  CHECK(on.median[cli::kTtft] == doctest::Approx(0.10));
  CHECK(on.worst[cli::kTtft] == doctest::Approx(0.20));
  CHECK(on.median[cli::kItl] == doctest::Approx(0.01));
  CHECK(on.worst[cli::kItl] == doctest::Approx(0.30));
  CHECK(on.median[cli::kE2e] == doctest::Approx(0.03));
  CHECK(on.worst[cli::kE2e] == doctest::Approx(0.04));
  // All nine: 0, .01, .02, .03, .04, .05, .10, .20, .30.
  CHECK(on.median_all == doctest::Approx(0.04));
  CHECK(on.worst_all == doctest::Approx(0.30));
  const cli::ServingErrors off = cli::serving_errors(cases, false);
  CHECK(off.median_all == doctest::Approx(1.0));
  CHECK(off.worst_all == doctest::Approx(1.0));
}

TEST_CASE("serving cases: an unknown case name is refused, naming it") {
  try {
    cli::validate_serving("serving", {"no-such-case"});
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("no-such-case") != std::string::npos);
  }
}
