#include "sim/engine/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace msao {

namespace {

constexpr size_t kTailBytes = 1 << 20;

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
