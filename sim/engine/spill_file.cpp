#include "sim/engine/spill_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace msao {

namespace {

constexpr size_t kTailBytes = 1 << 20;

[[noreturn]] void failed(const char* what) {
  throw std::runtime_error(std::string("a run's temporary file (what it holds beyond its memory): cannot ") + what +
                           ": " + std::strerror(errno));
}

}  // namespace

SpillFile::~SpillFile() {
  if (file_) std::fclose(file_);
}

void SpillFile::flush() {
  if (tail_.empty()) return;
  if (!file_ && !(file_ = std::tmpfile())) failed("create it");
  if (pwrite(fileno(file_), tail_.data(), tail_.size(), tail_start_) != static_cast<ssize_t>(tail_.size()))
    failed("write");
  tail_start_ += static_cast<long long>(tail_.size());
  tail_.clear();
}

long long SpillFile::append(const std::string& bytes) {
  const long long at = size();
  tail_ += bytes;
  if (tail_.size() >= kTailBytes) flush();
  return at;
}

void SpillFile::write_at(long long off, const void* p, size_t n) {
  if (off >= tail_start_) {
    std::memcpy(tail_.data() + (off - tail_start_), p, n);
    return;
  }
  if (off + static_cast<long long>(n) > tail_start_) flush();
  if (pwrite(fileno(file_), p, n, off) != static_cast<ssize_t>(n)) failed("write");
}

void SpillFile::read_at(long long off, void* p, size_t n) {
  if (off >= tail_start_) {
    std::memcpy(p, tail_.data() + (off - tail_start_), n);
    return;
  }
  if (off + static_cast<long long>(n) > tail_start_) flush();
  if (pread(fileno(file_), p, n, off) != static_cast<ssize_t>(n)) failed("read");
}

}  // namespace msao
