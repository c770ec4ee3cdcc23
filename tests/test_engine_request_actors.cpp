// The actors that run requests: open-loop requests go to a pool of reused
// workers, closed-loop users run their own requests. A horizon in the middle
// of a busy run leaves every request exactly once, completed or unfinished;
// a closed loop never has more requests in flight per edge than users.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

std::vector<RequestRecord> run_paper(std::vector<std::string> over) {
  auto r = fork_run([&] {
    const RunOutput out = run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml", over));
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : out.sim.records)
      os << rec.id << " " << rec.edge << " " << status_name(rec.status) << " " << rec.arrival << " " << rec.done << "\n";
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  std::vector<RequestRecord> recs;
  std::istringstream is(r.out);
  std::string status, arrival, done;
  RequestRecord rec;
  while (is >> rec.id >> rec.edge >> status >> arrival >> done) {
    rec.status = status == "completed" ? RequestStatus::Completed
                 : status == "rejected" ? RequestStatus::Rejected
                                        : RequestStatus::Unfinished;
    rec.arrival = parse_number(arrival);
    rec.done = parse_number(done);
    recs.push_back(rec);
  }
  return recs;
}

}  // namespace

TEST_CASE("a horizon mid-run leaves every open-loop request once, completed by then or unfinished") {
  // 400 msao requests at 7/s arrive over about 57 s; stop at 20 s.
  const auto recs = run_paper({"workload.requests=400", "workload.arrival.rate_rps=7", "run.horizon=20s"});
  REQUIRE(recs.size() == 400);
  size_t completed = 0, unfinished = 0;
  for (size_t i = 0; i < recs.size(); ++i) {
    CHECK(recs[i].id == i);
    if (recs[i].status == RequestStatus::Completed) {
      ++completed;
      CHECK(recs[i].done <= 20.0);
    } else {
      CHECK(recs[i].status == RequestStatus::Unfinished);
      ++unfinished;
    }
  }
  CHECK(completed > 100);
  CHECK(unfinished > 200);
}

TEST_CASE("a closed loop never has more requests in flight on an edge than its users") {
  const auto recs = run_paper({"workload.requests=300", "platform.edges.0.count=2",
                               "workload.arrival={type: closed, users_per_edge: 3, think_s: 0}"});
  REQUIRE(recs.size() == 300);
  size_t seen = 0;
  for (int edge : {0, 1}) {
    // Sweep the edge's (arrival, done) intervals: +1 at arrival, -1 at done.
    std::vector<std::pair<double, int>> events;
    for (const auto& r : recs) {
      if (r.edge != edge) continue;
      CHECK(r.status == RequestStatus::Completed);
      events.push_back({r.arrival, +1});
      events.push_back({r.done, -1});
    }
    seen += events.size() / 2;
    std::sort(events.begin(), events.end());  // at a tie, a done (-1) sorts before an arrival
    int in_flight = 0, most = 0;
    for (const auto& [t, d] : events) most = std::max(most, in_flight += d);
    CHECK(most == 3);
  }
  CHECK(seen == 300);
}
