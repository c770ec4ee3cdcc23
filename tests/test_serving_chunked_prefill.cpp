// Chunked prefill (Sarathi-Serve) against hand computation. A short request
// A (10-token prompt, 3 tokens out) is decoding when a 2000-token prompt B
// arrives. Whole, B's prefill shares one 0.21 s iteration with A's next
// decode step, stalling A; with a budget of 256 tokens per iteration, A's
// step shares an iteration with a 255-token chunk and A finishes 0.1745 s
// sooner, while B's first token comes at the same time (the same prompt
// work, spread over more iterations). Linear costs: 0.1 ms per prompt
// token, 10 ms per decode step.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct Times {
  double a_end = 0, b_first_token = 0;
  long long iterations = 0;
};

Times short_then_long(int token_budget) {
  auto r = fork_run([token_budget] {
    SimSetup s;
    s.platform = one_edge_platform(1e9, 1e-6);
    s.cloud_cost = linear_cloud_cost(1e-4, 0.010);
    s.cloud_cost.token_budget = token_budget;
    const int prompt[] = {10, 2000}, out[] = {3, 2};
    for (int i = 0; i < 2; ++i) s.requests.push_back(serving_request(i, 0.005 * i, prompt[i], out[i]));
    s.planner = serving_planner(100, 100);
    SimResult res = run_simulation(s);
    std::ostringstream os;
    os.precision(17);
    os << res.records[0].cloud_end << " " << res.records[1].cloud_first_token << " " << res.cloud_iterations;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Times t;
  std::istringstream is(r.out);
  is >> t.a_end >> t.b_first_token >> t.iterations;
  return t;
}

}  // namespace

TEST_CASE("chunked prefill keeps a long prompt from stalling a decoding request") {
  // A's upload lands at 1.1 us; its prefill ends 1 ms later, its first
  // decode step 10 ms after that, at t0 = 11.0011 ms, when B (arrived at 5 ms) joins.
  const double t0 = 0.0010011 + 0.010;
  const Times whole = short_then_long(0);
  CHECK(whole.a_end == doctest::Approx(t0 + 2000e-4 + 0.010).epsilon(1e-6));
  CHECK(whole.b_first_token == doctest::Approx(whole.a_end).epsilon(1e-9));
  const Times chunked = short_then_long(256);
  // A's last step shares its iteration with a 255-token chunk of B.
  CHECK(chunked.a_end == doctest::Approx(t0 + 255e-4 + 0.010).epsilon(1e-6));
  // B: 255 tokens, then 6 chunks of 256, then the last 209.
  CHECK(chunked.b_first_token == doctest::Approx(chunked.a_end + 6 * 256e-4 + 209e-4).epsilon(1e-6));
  CHECK(chunked.b_first_token == doctest::Approx(whole.b_first_token).epsilon(1e-6));
  CHECK(chunked.iterations > whole.iterations);
}
