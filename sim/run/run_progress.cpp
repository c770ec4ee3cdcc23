#include "sim/run/run_progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace msao {

namespace {
constexpr double kShowAfterS = 2.0, kRedrawS = 0.2;
}

RunProgress::RunProgress(bool enabled)
    : enabled_(enabled && isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

void RunProgress::update(size_t done, size_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < kShowAfterS || std::chrono::duration<double>(now - last_).count() < kRedrawS) return;
  last_ = now;
  done = std::min(done, total);
  const int width = 30, fill = static_cast<int>(width * done / total);
  const double eta = done ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0;
  const int t = static_cast<int>(eta + 0.5);
  std::fprintf(stderr, "\r[%s%s] %zu/%zu requests, ETA %d:%02d:%02d ", std::string(fill, '#').c_str(),
               std::string(width - fill, '.').c_str(), done, total, t / 3600, t / 60 % 60, t % 60);
  std::fflush(stderr);
  drawn_ = true;
}

void RunProgress::finish() {
  if (drawn_) std::fputs("\r\033[K", stderr);  // erase the bar's line
  drawn_ = false;
}

}  // namespace msao
