// Parsed input files kept per process, so that a loader called many times in
// one process parses each catalog entry, profile and trace once: the sweep
// check loads up to 64 scenarios over the same catalogs, `msao tune` checks
// both ends of every range, a Python session loads scenario after scenario,
// and the fuzz harnesses load a scenario per execution.
//
// An entry is keyed by kind, path and the file's whole content (compared
// byte for byte, not by hash or modification time, whose granularity is a
// clock tick), so an edited file is parsed again. Only regular files of at
// most kMaxCachedFileBytes are kept, at most kMaxCachedFiles and
// kMaxCachedBytes of content per parsed type, the oldest dropped first: memory
// stays bounded whatever the inputs (a parse is a small multiple of its
// file, and its copy is what the caller gets anyway). Anything
// else (a fifo, /dev/stdin, a directory, a large trace) goes straight to the
// parser, which also reports every error: a file that fails to parse is
// never kept, so its error is raised again on every load.
#pragma once
#include <cstddef>
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

// The bytes of `path` when it is a regular file of at most
// kMaxCachedFileBytes; nullopt otherwise (or when it cannot be read).
std::optional<std::string> cacheable_contents(const std::string& path);

// parse(path), or the value it gave for the same kind, path and content,
// shared and immutable. `kind` names what parse reads ("model",
// "mas-trace"), so two parsers of the same file never share an entry.
template <class T, class Parse>
std::shared_ptr<const T> cached_parse_shared(const char* kind, const std::string& path, Parse&& parse) {
  struct Entry {
    std::string kind, path, content;
    std::shared_ptr<const T> value;
  };
  static std::mutex mu;
  static std::deque<Entry> entries;
  static size_t bytes = 0;  // of the entries' contents
  const std::optional<std::string> before = cacheable_contents(path);
  if (!before) return std::make_shared<const T>(parse(path));
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const Entry& e : entries)
      if (e.path == path && e.kind == kind && e.content == *before) return e.value;
  }
  auto value = std::make_shared<const T>(parse(path));
  // Kept only if the file did not change while it was parsed, so an entry's
  // value is always the parse of its content.
  if (cacheable_contents(path) == before) {
    std::lock_guard<std::mutex> lock(mu);
    entries.push_back(Entry{kind, path, *before, value});
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
