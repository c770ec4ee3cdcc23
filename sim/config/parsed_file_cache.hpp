// Parsed input files kept per process, so that a loader called many times in
// one process parses each catalog entry, profile and trace once: the sweep
// check loads up to 64 scenarios over the same catalogs, `msao tune` checks
// both ends of every range, a Python session loads scenario after scenario,
// and the fuzz harnesses load a scenario per execution.
//
// An entry is keyed by kind, path and the file's whole content (compared
// byte for byte, not by hash or modification time, whose granularity is a
// clock tick), so an edited file is parsed again. Reading the content on
// every load is what a hit costs (a quarter of a fuzz execution over a
// bundled serving trace), so an entry whose file was already old when it
// was read skips it, as git does for its index ("racy git",
// Documentation/technical/racy-git.txt): its file stamp (device, inode,
// size, modification and status-change times) was taken when both times lay
// more than kRacyMarginNs in the past, so any later write gives a newer
// time and a different stamp, and the content is compared again. Setting
// the modification time back does not hide an edit: that sets the
// status-change time to now. Only regular files of at
// most kMaxCachedFileBytes are kept, at most kMaxCachedFiles and
// kMaxCachedBytes of content per parsed type, the oldest dropped first: memory
// stays bounded whatever the inputs (a parse is a small multiple of its
// file, and its copy is what the caller gets anyway). Anything
// else (a fifo, /dev/stdin, a directory, a large trace) goes straight to the
// parser, which also reports every error: a file that fails to parse is
// never kept, so its error is raised again on every load.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace msao {

inline constexpr size_t kMaxCachedFileBytes = 4u << 20;
inline constexpr size_t kMaxCachedFiles = 32;
inline constexpr size_t kMaxCachedBytes = 16u << 20;
// Far above any file clock's tick (Linux: the scheduler tick; FAT: 2 s).
inline constexpr int64_t kRacyMarginNs = 3'000'000'000;

// What stat says of a file: equal stamps of a regular file whose times lie
// more than kRacyMarginNs before the moment it was read mean the same content.
struct FileStamp {
  uint64_t dev = 0, ino = 0;
  int64_t size = 0, mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The stamp of `path` when it is a regular file; nullopt otherwise.
std::optional<FileStamp> regular_file_stamp(const std::string& path);

// The real-time clock, in ns since the epoch, that file times are set from.
// Tests may replace it (nullptr: the real clock back).
int64_t file_clock_now_ns();
void set_file_clock_for_tests(int64_t (*now_ns)());

// Whether `s`, taken at `read_at_ns` just before the content was read, is
// old enough to stand for that content.
inline bool stamp_settled(const FileStamp& s, int64_t read_at_ns) {
  return s.mtime_ns < read_at_ns - kRacyMarginNs && s.ctime_ns < read_at_ns - kRacyMarginNs;
}

// The bytes of `path` when it is a regular file of at most
// kMaxCachedFileBytes; nullopt otherwise (or when it cannot be read).
std::optional<std::string> cacheable_contents(const std::string& path);
// How many files cacheable_contents has read in this process: what a hit by
// a settled stamp saves (tests check it stays put).
uint64_t cached_content_reads();

// parse(path), or the value it gave for the same kind, path and content,
// shared and immutable. `kind` names what parse reads ("model",
// "mas-trace"), so two parsers of the same file never share an entry.
template <class T, class Parse>
std::shared_ptr<const T> cached_parse_shared(const char* kind, const std::string& path, Parse&& parse) {
  struct Entry {
    std::string kind, path, content;
    std::shared_ptr<const T> value;
    std::optional<FileStamp> settled;  // a stamp that stands for `content`
  };
  static std::mutex mu;
  static std::deque<Entry> entries;
  static size_t bytes = 0;  // of the entries' contents
  const std::optional<FileStamp> stamp = regular_file_stamp(path);
  if (stamp) {
    std::lock_guard<std::mutex> lock(mu);
    for (const Entry& e : entries)
      if (e.settled == stamp && e.path == path && e.kind == kind) return e.value;
  }
  const int64_t read_at = file_clock_now_ns();
  const std::optional<std::string> before = cacheable_contents(path);
  if (!before) return std::make_shared<const T>(parse(path));
  // The stamp stands for the content only if the file did not change while
  // it was read, and was old enough then.
  const auto settled_stamp = [&]() -> std::optional<FileStamp> {
    const std::optional<FileStamp> after = regular_file_stamp(path);
    if (stamp && after == stamp && stamp_settled(*stamp, read_at)) return stamp;
    return std::nullopt;
  };
  {
    std::lock_guard<std::mutex> lock(mu);
    for (Entry& e : entries)
      if (e.path == path && e.kind == kind && e.content == *before) {
        e.settled = settled_stamp();  // e.g. after a touch: the new stamp, once settled
        return e.value;
      }
  }
  auto value = std::make_shared<const T>(parse(path));
  // Kept only if the file did not change while it was parsed, so an entry's
  // value is always the parse of its content.
  if (cacheable_contents(path) == before) {
    std::lock_guard<std::mutex> lock(mu);
    entries.push_back(Entry{kind, path, *before, value, settled_stamp()});
    bytes += before->size();
    while (entries.size() > kMaxCachedFiles || bytes > kMaxCachedBytes) {
      bytes -= entries.front().content.size();
      entries.pop_front();
    }
  }
  return value;
}

// The same, as a copy the caller may change.
template <class T, class Parse>
T cached_parse(const char* kind, const std::string& path, Parse&& parse) {
  return *cached_parse_shared<T>(kind, path, std::forward<Parse>(parse));
}

}  // namespace msao
