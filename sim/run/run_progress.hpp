// RunProgress: `msao run`'s progress bar with ETA on stderr. It appears
// only once a run has taken 2 s (a short run prints nothing), only on a
// terminal, is redrawn at most 5 times a second, and is erased when the
// run ends, so the summary that follows is all that stays on screen.
#pragma once
#include <chrono>
#include <cstddef>

namespace msao {

class RunProgress {
 public:
  // enabled: false for --quiet; a stderr that is not a terminal also disables it.
  explicit RunProgress(bool enabled);
  void update(size_t done, size_t total);
  void finish();

 private:
  bool enabled_, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace msao
