// A cancelled speculative branch leaks nothing: confident edge answers win
// races against cloud branches cancelled mid-upload and mid-serving, and
// after each request completes the number of live SimGrid actors is the
// same as after the first, the cloud stops serving cancelled work, and the
// run ends when the last answer returns. These counts do not grow with the
// number of requests, the deterministic stand-in for "time linear in the
// number of speculative requests" (bench/bench_speculation.cpp times it).
#include <doctest/doctest.h>

#include <algorithm>
#include <simgrid/s4u/Engine.hpp>
#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/race_fixture.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct RaceRun {
  size_t completed = 0, edge_accepted = 0;
  size_t actors_first = 0, actors_min = 0, actors_max = 0;
  double cloud_busy_s = 0, sim_time_s = 0, cancelled_up = 0, sent_up = 0, received_up = 0;
  long iterations = 0;
};

RaceRun run_races(int n) {
  auto r = fork_run([n] {
    SimSetup s = cancelled_races(n);
    std::vector<size_t> actors;
    s.on_complete = [&actors](const Request&, const RequestRecord&) {
      actors.push_back(simgrid::s4u::Engine::get_instance()->get_actor_count());
    };
    SimResult res = run_simulation(s);
    RaceRun out;
    for (const auto& rec : res.records) {
      out.completed += rec.status == RequestStatus::Completed;
      out.edge_accepted += rec.spec_outcome == SpecOutcome::EdgeAccepted;
    }
    std::ostringstream os;
    os.precision(17);
    os << out.completed << " " << out.edge_accepted << " " << actors.front() << " "
       << *std::min_element(actors.begin(), actors.end()) << " " << *std::max_element(actors.begin(), actors.end())
       << " " << res.cloud_busy_s << " " << res.sim_time_s << " " << res.uplink_bytes_cancelled << " "
       << res.uplink_bytes_sent << " " << res.uplink_bytes << " " << res.cloud_iterations;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  RaceRun o;
  std::istringstream is(r.out);
  is >> o.completed >> o.edge_accepted >> o.actors_first >> o.actors_min >> o.actors_max >> o.cloud_busy_s >>
      o.sim_time_s >> o.cancelled_up >> o.sent_up >> o.received_up >> o.iterations;
  return o;
}

}  // namespace

TEST_CASE("a cancelled speculative branch leaks no actor and no cloud work") {
  for (int n : {200, 2000}) {
    CAPTURE(n);
    const RaceRun r = run_races(n);
    CHECK(r.completed == static_cast<size_t>(n));
    CHECK(r.edge_accepted == static_cast<size_t>(n));
    // Live actors after each completion: constant, whatever the request
    // count (one fewer once the arrivals actor has handed out the last request).
    CHECK(r.actors_max == r.actors_first);
    CHECK(r.actors_min >= r.actors_first - 1);
    CHECK(r.actors_first <= 4);
    // Cancelled cloud work stops within an iteration: no request's 5 s decode runs on.
    CHECK(r.cloud_busy_s < n / 2 * 0.3 + 1);
    CHECK(r.sim_time_s <= (n - 1) + 0.3 + 0.05);
    // Every even request's upload was cut short and accounted as cancelled.
    CHECK(r.cancelled_up >= n / 2 * 1e6 - 1);
    CHECK(r.sent_up == doctest::Approx(r.received_up + r.cancelled_up));
  }
}

TEST_CASE("cloud iterations per speculative request do not grow with the request count") {
  const RaceRun a = run_races(500), b = run_races(5000);
  // Ten times the requests, ten times the iterations (up to the last request's boundary effect).
  CHECK(a.iterations > 0);
  CHECK(static_cast<double>(b.iterations) == doctest::Approx(10.0 * a.iterations).epsilon(0.001));
}
