#include "sim/engine/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace msao {

namespace {

constexpr size_t kTailBytes = 1 << 20;
// The unit in which space is given back.
constexpr long long kPunchBytes = 1 << 20;

[[noreturn]] void failed(const std::string& what) {
  throw std::runtime_error("a run's temporary file (what it holds beyond its memory): cannot " + what + ": " +
                           std::strerror(errno));
}

// A file without a name in $TMPDIR (else /tmp): O_TMPFILE, or where the
// file system lacks it, a named one unlinked at once.
int open_unnamed() {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env && *env ? env : "/tmp";
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string path = dir + "/msao-spill-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) failed("create it in " + dir);
  unlink(name.data());
  return fd;
}

}  // namespace

SpillFile::~SpillFile() {
  if (fd_ >= 0) close(fd_);
}

void SpillFile::flush() {
  if (tail_.empty()) return;
  if (fd_ < 0) fd_ = open_unnamed();
  if (pwrite(fd_, tail_.data(), tail_.size(), tail_start_) != static_cast<ssize_t>(tail_.size())) failed("write");
  const size_t first = static_cast<size_t>(tail_start_ / kPunchBytes);
  tail_start_ += static_cast<long long>(tail_.size());
  tail_.clear();
  // Megabytes now written whole whose bytes were all released while buffered.
  for (size_t c = first; c < static_cast<size_t>(tail_start_ / kPunchBytes); ++c) punch_if_free(c);
}

void SpillFile::count(long long off, size_t n, long long sign) {
  const long long end = off + static_cast<long long>(n);
  if (held_in_.size() < static_cast<size_t>((end + kPunchBytes - 1) / kPunchBytes))
    held_in_.resize(static_cast<size_t>((end + kPunchBytes - 1) / kPunchBytes), 0);
  for (long long c = off / kPunchBytes; c * kPunchBytes < end; ++c) {
    const long long from = std::max(off, c * kPunchBytes), to = std::min(end, (c + 1) * kPunchBytes);
    held_in_[static_cast<size_t>(c)] += sign * (to - from);
    if (sign < 0) punch_if_free(static_cast<size_t>(c));
  }
  held_ += sign * static_cast<long long>(n);
}

void SpillFile::punch_if_free(size_t c) {
  if (held_in_[c] != 0 || static_cast<long long>(c + 1) * kPunchBytes > tail_start_) return;
  // A file system without holes keeps the space until the file closes: no harm.
  fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<long long>(c) * kPunchBytes, kPunchBytes);
}

void SpillFile::release(long long off, size_t n) { count(off, n, -1); }

long long SpillFile::append(const std::string& bytes) {
  const long long at = size();
  count(at, bytes.size(), +1);
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
  if (pwrite(fd_, p, n, off) != static_cast<ssize_t>(n)) failed("write");
}

void SpillFile::read_at(long long off, void* p, size_t n) {
  if (off >= tail_start_) {
    std::memcpy(p, tail_.data() + (off - tail_start_), n);
    return;
  }
  if (off + static_cast<long long>(n) > tail_start_) flush();
  if (pread(fd_, p, n, off) != static_cast<ssize_t>(n)) failed("read");
}

}  // namespace msao
