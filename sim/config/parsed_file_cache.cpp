#include "sim/config/parsed_file_cache.hpp"

#include <sys/stat.h>
#include <time.h>

#include <atomic>
#include <fstream>
#include <iterator>

namespace msao {

namespace {
std::atomic<int64_t (*)()> g_clock_for_tests{nullptr};
std::atomic<uint64_t> g_content_reads{0};
int64_t ns(const timespec& t) { return int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }
}  // namespace

std::optional<FileStamp> regular_file_stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileStamp{uint64_t(st.st_dev), uint64_t(st.st_ino), int64_t(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
}

int64_t file_clock_now_ns() {
  if (auto f = g_clock_for_tests.load()) return f();
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return ns(t);
}

void set_file_clock_for_tests(int64_t (*now_ns)()) { g_clock_for_tests = now_ns; }

std::optional<std::string> cacheable_contents(const std::string& path) {
  // stat, not open: opening a fifo would block, and reading one would
  // consume what its parser is meant to read.
  const std::optional<FileStamp> st = regular_file_stamp(path);
  if (!st || static_cast<size_t>(st->size) > kMaxCachedFileBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  ++g_content_reads;
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st->size));
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || bytes.size() > kMaxCachedFileBytes) return std::nullopt;
  return bytes;
}

uint64_t cached_content_reads() { return g_content_reads.load(); }

}  // namespace msao
