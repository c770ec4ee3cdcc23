// Bursts: requests that arrive together beyond run.max_in_flight wait as
// plain data (no actor, no stack) and start, in arrival order, as running
// ones end; their latency counts the wait. A burst's memory is therefore
// flat in its size, and a run that never has max_in_flight requests in
// flight is unchanged by the cap.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"
#include "tests/streamed_peak.hpp"

using namespace msao;
using namespace msao::test;

namespace {

const std::string kQuickstart = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/quickstart.yaml";

struct Row {
  std::string status;
  double arrival, start, done;  // start: the request's first step (its upload, cloud-only)
};

// quickstart.yaml, cloud-only, `n` requests arriving within a microsecond, with `over` on top.
std::vector<Row> burst(size_t n, std::vector<std::string> over, std::string* text = nullptr) {
  over.insert(over.begin(), {"policy.type=cloud-only", "workload.requests=" + std::to_string(n), "workload.arrival.rate_rps=1e9"});
  const auto r = fork_run([&] {
    const RunOutput out = run_scenario(load_scenario(kQuickstart, over));
    std::ostringstream os;
    os.precision(17);
    for (const auto& rec : out.sim.records)
      os << status_name(rec.status) << " " << rec.arrival << " " << rec.upload_start << " " << rec.done << "\n";
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  if (text) *text = r.out;
  std::vector<Row> rows;
  std::istringstream is(r.out);
  for (std::string st, a, s, d; is >> st >> a >> s >> d;) rows.push_back({st, parse_number(a), parse_number(s), parse_number(d)});
  REQUIRE(rows.size() == n);
  return rows;
}

// The most requests between their start and their end at one moment.
int most_in_flight(const std::vector<Row>& rows) {
  std::vector<std::pair<double, int>> ev;
  for (const auto& r : rows) {
    ev.push_back({r.start, +1});
    ev.push_back({r.done, -1});
  }
  std::sort(ev.begin(), ev.end());  // at a tie an end (-1) comes first
  int now = 0, most = 0;
  for (const auto& e : ev) most = std::max(most, now += e.second);
  return most;
}

}  // namespace

TEST_CASE("a burst beyond run.max_in_flight runs at most that many at once, in arrival order, latency counting the wait") {
  const auto rows = burst(40, {"run.max_in_flight=4"});
  CHECK(most_in_flight(rows) == 4);
  for (size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i].status == "completed");
    CHECK(rows[i].arrival < 1e-6);  // its arrival, not the moment it got a place
    if (i > 0) CHECK(rows[i].start >= rows[i - 1].start);
    // The fifth starts only when one of the first four has ended.
    if (i >= 4) CHECK(rows[i].start >= std::min({rows[0].done, rows[1].done, rows[2].done, rows[3].done}));
  }
  // The last one waited for nine rounds of four: its latency (from its arrival) holds that wait.
  CHECK(rows.back().start > rows[3].done);
  CHECK(rows.back().done - rows.back().arrival >= rows.back().start);

  // Without reaching the cap, the cap changes nothing: 40 places, or the default, give the same run.
  std::string at40, by_default;
  const auto free_rows = burst(40, {"run.max_in_flight=40"}, &at40);
  burst(40, {}, &by_default);
  CHECK(at40 == by_default);
  CHECK(most_in_flight(free_rows) == 40);
}

TEST_CASE("a horizon reached while requests wait for a place leaves them unfinished, with their arrival") {
  // Each round of 4 uploads ~100 KB images on 300 Mbit/s: far fewer than 200 start in 1 s.
  const auto rows = burst(200, {"run.max_in_flight=4", "run.horizon=1s"});
  size_t completed = 0, waiting = 0;
  for (const auto& r : rows) {
    CHECK(r.arrival < 1e-6);
    completed += r.status == "completed";
    waiting += r.status == "unfinished" && std::isnan(r.start);
  }
  CHECK(completed > 0);
  CHECK(waiting > 100);
}

namespace {

// Peak RSS (KiB) of a streamed run of a burst of `n` edge-only requests on quickstart.yaml.
long burst_peak_kib(size_t n, const std::filesystem::path& out) {
  return streamed_peak_kib(kQuickstart, {"workload.requests=" + std::to_string(n), "workload.arrival.rate_rps=1e9"}, n, out);
}

}  // namespace

// Each request in flight held an actor and its stack (about 37 KB): 100,000
// requests at once took 3.7 GB, and 200,000 aborted at the 4 GB mark.
TEST_CASE("a burst's peak RSS is flat between 20k and 100k requests arriving at once") {
  const auto dir = std::filesystem::temp_directory_path() / ("msao-burst-" + std::to_string(::getpid()));
#ifndef MSAO_SANITIZE
  const long small = burst_peak_kib(20000, dir / "20k");
  const long large = burst_peak_kib(100000, dir / "100k");
  MESSAGE("peak RSS: 20k at once " << small / 1024 << " MiB, 100k at once " << large / 1024 << " MiB");
  CHECK(large <= small * 1.10);
  CHECK(large <= 512L << 10);
#else
  burst_peak_kib(5000, dir / "5k");  // shadow memory makes RSS meaningless; the path still runs
#endif
  std::filesystem::remove_all(dir);
}
