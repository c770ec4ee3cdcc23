#include "sim/dse/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace msao::dse {

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

void Progress::update(size_t done, size_t failed) { draw(done, failed, false); }
void Progress::finish(size_t done, size_t failed) { draw(done, failed, true); }

void Progress::draw(size_t done, size_t failed, bool final) {
  if (!enabled_) return;
  int decile = total_ ? static_cast<int>(10 * done / total_) : 10;
  if (!tty_ && !final && decile == last_decile_) return;
  last_decile_ = decile;
  double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double eta = done ? el / static_cast<double>(done) * static_cast<double>(total_ - done) : 0;
  const int width = 30;
  int fill = total_ ? static_cast<int>(width * done / total_) : width;
  std::string bar(static_cast<size_t>(fill), '#');
  bar.resize(width, '.');
  auto hms = [](double s) {
    char b[32];
    int t = static_cast<int>(s + 0.5);
    std::snprintf(b, sizeof b, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    return std::string(b);
  };
  const std::string note = note_.empty() ? "" : "; " + note_;
  std::fprintf(stderr, "%s[%s] %zu/%zu done, %zu failed, %s %s%s%s", tty_ ? "\r" : "", bar.c_str(), done, total_, failed,
               final ? "elapsed" : "ETA", hms(final ? el : eta).c_str(), note.c_str(), tty_ && !final ? "   " : "\n");
  std::fflush(stderr);
}

}  // namespace msao::dse
