// See decoder_timing.hpp.
#include "kernels/decoder_timing.hpp"

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <ostream>

namespace msao::kernels {

namespace {
// Keeps the calling thread on the core it is on while it lives, so the
// scheduler does not move it between rounds (a move empties L1 and L2,
// which thread CPU time would then count); the old affinity comes back after.
class PinToCurrentCore {
 public:
  PinToCurrentCore() {
    const int cpu = sched_getcpu();
    if (cpu < 0 || sched_getaffinity(0, sizeof old_, &old_) != 0) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pinned_ = sched_setaffinity(0, sizeof one, &one) == 0;
  }
  ~PinToCurrentCore() {
    if (pinned_) sched_setaffinity(0, sizeof old_, &old_);
  }
  PinToCurrentCore(const PinToCurrentCore&) = delete;
  PinToCurrentCore& operator=(const PinToCurrentCore&) = delete;

 private:
  cpu_set_t old_{};
  bool pinned_ = false;
};
}  // namespace

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size();
  return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

void time_cases(const Backend& be, const DecoderWeights& w, std::vector<TimedCase>& cases, int rounds,
                TimingClock clock, std::ostream& log) {
  std::vector<std::unique_ptr<DecoderIteration>> its;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto it = std::make_unique<DecoderIteration>(be, w, cases[i].steps.size(), cases[i].max_context);
    it->fill_cache(0xcace + i);  // the cached context: random keys and values
    it->plan(cases[i].steps);
    its.push_back(std::move(it));
  }
  const PinToCurrentCore pin;
  auto now = [clock] {
    if (clock == TimingClock::ThreadCpu) return thread_cpu_seconds();
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  auto timed = [&](auto&& fn) {
    const double t0 = now();
    fn();
    return now() - t0;
  };
  for (int r = -1; r < rounds; ++r) {  // round -1 warms up
    for (size_t i = 0; i < cases.size(); ++i) {
      TimedCase& c = cases[i];
      DecoderIteration& it = *its[i];
      if (c.per_op)
        for (int o = 0; o < kNumDecoderOps; ++o) {
          const auto op = static_cast<DecoderOp>(o);
          if (!it.has_op(op) || (!c.only.empty() && std::find(c.only.begin(), c.only.end(), op) == c.only.end()))
            continue;
          const double s = timed([&] { it.run_op(op); });
          if (r >= 0) c.ops[o].push_back(s);
        }
      // Untimed, the whole iteration still runs once in the warm-up, so
      // that the operators timed alone read what an iteration leaves in
      // its buffers, as those of a timed iteration do.
      if (!c.whole && r >= 0) continue;
      const double s = timed([&] { it.run(); });
      if (r >= 0) c.whole_s.push_back(s);
    }
    if (r >= 0) {
      log << "  round " << r + 1 << "/" << rounds << ":";
      for (const TimedCase& c : cases)
        if (c.whole) log << " " << c.name << " " << c.whole_s.back() * 1e3 << " ms";
      log << "\n" << std::flush;
    }
  }
}

}  // namespace msao::kernels
