// Progress: the sweep's one-line progress bar on stderr (done/total,
// failures, ETA). Redrawn in place on a terminal; on a pipe or file it
// prints a line at every 10% so logs stay short.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

namespace msao::dse {

class Progress {
 public:
  Progress(size_t total, bool enabled);
  void update(size_t done, size_t failed);
  void finish(size_t done, size_t failed);
  // Shown after the counts, e.g. the Slurm executor's running/pending tasks.
  void set_note(std::string note) { note_ = std::move(note); }

 private:
  void draw(size_t done, size_t failed, bool final);
  size_t total_;
  bool enabled_, tty_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::string note_;
};

}  // namespace msao::dse
