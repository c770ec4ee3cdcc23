// The per-process cache of parsed input files (sim/config/parsed_file_cache):
// a file is parsed once per content, an edit of the same size in the same
// clock tick is parsed again, an entry found by its file stamp still sees
// every edit, a bad file raises its error every time, a fifo is never read
// by the cache, and the entries are bounded.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <filesystem>
#include <fstream>

#include "sim/config/input_error.hpp"
#include "sim/config/parsed_file_cache.hpp"
#include "sim/cost/model_spec.hpp"

using namespace msao;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("msao-cache-tests-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A parser that counts its calls and returns the file's first line.
struct CountingParser {
  int* calls;
  std::string operator()(const std::string& path) const {
    ++*calls;
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    if (first == "bad") throw InputError(path, 1, "", "'bad'", "anything else");
    return first;
  }
};

}  // namespace

TEST_CASE("a file is parsed once per content; an edit of the same size is parsed again") {
  int calls = 0;
  const std::string f = temp_path("same-size.txt");
  write(f, "alpha\n");
  CHECK(cached_parse<std::string>("test-a", f, CountingParser{&calls}) == "alpha");
  const uint64_t reads = cached_content_reads();
  CHECK(cached_parse<std::string>("test-a", f, CountingParser{&calls}) == "alpha");
  CHECK(calls == 1);
  // Just written, so its stamp is not settled: the hit compared the content.
  CHECK(cached_content_reads() > reads);
  // Same size, and written well inside one tick of the file-time clock: a
  // key of size and modification time would return "alpha" here.
  write(f, "gamma\n");
  CHECK(cached_parse<std::string>("test-a", f, CountingParser{&calls}) == "gamma");
  CHECK(calls == 2);
  // Another kind of parser of the same file has its own entry.
  CHECK(cached_parse<std::string>("test-b", f, CountingParser{&calls}) == "gamma");
  CHECK(calls == 3);
}

namespace {
// A file clock an hour ahead: every file just written counts as settled.
int64_t an_hour_ahead() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return (int64_t(t.tv_sec) + 3600) * 1'000'000'000 + t.tv_nsec;
}
struct ClockAhead {
  ClockAhead() { set_file_clock_for_tests(an_hour_ahead); }
  ~ClockAhead() { set_file_clock_for_tests(nullptr); }
};
}  // namespace

TEST_CASE("a stamp stands for the content only when both its times are older than the margin") {
  const FileStamp s{1, 2, 3, 10 * kRacyMarginNs, 10 * kRacyMarginNs};
  CHECK(stamp_settled(s, 11 * kRacyMarginNs + 1));
  CHECK_FALSE(stamp_settled(s, 11 * kRacyMarginNs));
  FileStamp late_ctime = s;
  late_ctime.ctime_ns = 10 * kRacyMarginNs + 2;
  CHECK_FALSE(stamp_settled(late_ctime, 11 * kRacyMarginNs + 1));
  CHECK_FALSE(regular_file_stamp(temp_path("missing")).has_value());
  CHECK_FALSE(regular_file_stamp(std::filesystem::temp_directory_path().string()).has_value());
}

TEST_CASE("an entry found by its settled stamp still sees an edit, even one that sets the old mtime back") {
  const ClockAhead ahead;
  int calls = 0;
  const std::string f = temp_path("settled.txt");
  write(f, "alpha\n");
  CHECK(cached_parse<std::string>("test-g", f, CountingParser{&calls}) == "alpha");
  const uint64_t reads = cached_content_reads();
  CHECK(cached_parse<std::string>("test-g", f, CountingParser{&calls}) == "alpha");  // by its stamp
  CHECK(calls == 1);
  CHECK(cached_content_reads() == reads);  // the file was not read again
  // Another size: another stamp.
  write(f, "beta\n");
  CHECK(cached_parse<std::string>("test-g", f, CountingParser{&calls}) == "beta");
  CHECK(calls == 2);
  // The same size, with the modification time set back to the cached one:
  // the status-change time moves on (waiting, if need be, for the file
  // clock's next tick, which the kernel sets it from).
  const FileStamp cached = *regular_file_stamp(f);
  write(f, "gamma\n");
  const timespec mtime{time_t(cached.mtime_ns / 1'000'000'000), long(cached.mtime_ns % 1'000'000'000)};
  const timespec times[2] = {{0, UTIME_OMIT}, mtime};
  for (int i = 0; i < 200 && regular_file_stamp(f) == cached; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    write(f, "gamma\n");
  }
  REQUIRE(::utimensat(AT_FDCWD, f.c_str(), times, 0) == 0);
  const FileStamp now = *regular_file_stamp(f);
  CHECK(now.mtime_ns == cached.mtime_ns);
  REQUIRE(now != cached);
  CHECK(cached_parse<std::string>("test-g", f, CountingParser{&calls}) == "gamma");
  CHECK(calls == 3);
}

TEST_CASE("a file that fails to parse is never kept: its error is raised on every load") {
  int calls = 0;
  const std::string f = temp_path("bad.txt");
  write(f, "bad\n");
  for (int i = 0; i < 3; ++i) CHECK_THROWS_AS(cached_parse<std::string>("test-c", f, CountingParser{&calls}), InputError);
  CHECK(calls == 3);
}

TEST_CASE("only regular files of bounded size are cached; a fifo is not opened by the cache") {
  const std::string fifo = temp_path("fifo");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(cacheable_contents(fifo).has_value());  // would block if it opened the fifo
  CHECK_FALSE(cacheable_contents(std::filesystem::temp_directory_path().string()).has_value());
  CHECK_FALSE(cacheable_contents(temp_path("missing")).has_value());
  const std::string big = temp_path("big.txt");
  write(big, std::string(kMaxCachedFileBytes + 1, 'x'));
  CHECK_FALSE(cacheable_contents(big).has_value());
  int calls = 0;
  for (int i = 0; i < 2; ++i) cached_parse<std::string>("test-d", big, CountingParser{&calls});
  CHECK(calls == 2);
  const std::string small = temp_path("small.txt");
  write(small, "x\n");
  CHECK(cacheable_contents(small) == std::optional<std::string>("x\n"));
}

TEST_CASE("the cache holds at most kMaxCachedFiles files per kind, dropping the oldest") {
  int calls = 0;
  std::vector<std::string> files;
  for (size_t i = 0; i <= kMaxCachedFiles; ++i) {
    files.push_back(temp_path(std::to_string(i) + ".txt"));
    write(files.back(), std::to_string(i) + "\n");
    cached_parse<std::string>("test-e", files.back(), CountingParser{&calls});
  }
  CHECK(calls == int(kMaxCachedFiles) + 1);
  cached_parse<std::string>("test-e", files.back(), CountingParser{&calls});  // newest: kept
  CHECK(calls == int(kMaxCachedFiles) + 1);
  cached_parse<std::string>("test-e", files.front(), CountingParser{&calls});  // oldest: dropped
  CHECK(calls == int(kMaxCachedFiles) + 2);
}

TEST_CASE("a catalog model loaded twice is the same model, and an edited model file is read again") {
  const cost::ModelSpec a = cost::load_model("llava-1.5-7b"), b = cost::load_model("llava-1.5-7b");
  CHECK(a.name == b.name);
  CHECK(a.decoder.hidden == b.decoder.hidden);
  CHECK(a.max_context == b.max_context);
  const std::string f = temp_path("model.yaml");
  std::ifstream src(a.source_file);
  std::string text((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
  write(f, text);
  CHECK(cost::load_model(f).max_context == a.max_context);
  const std::string key = "max_context: " + std::to_string(a.max_context);
  const size_t at = text.find(key);
  REQUIRE(at != std::string::npos);
  text.replace(at, key.size(), "max_context: " + std::to_string(a.max_context / 2));
  write(f, text);
  CHECK(cost::load_model(f).max_context == a.max_context / 2);
}

TEST_CASE("the cache holds at most kMaxCachedBytes of file content, dropping the oldest") {
  int calls = 0;
  const size_t n = kMaxCachedBytes / kMaxCachedFileBytes + 1;  // one file more than fits
  std::vector<std::string> files;
  for (size_t i = 0; i < n; ++i) {
    files.push_back(temp_path(std::to_string(i) + ".big"));
    write(files.back(), std::to_string(i) + "\n" + std::string(kMaxCachedFileBytes - 3, 'x'));
    CHECK(cached_parse<std::string>("test-f", files.back(), CountingParser{&calls}) == std::to_string(i));
  }
  CHECK(calls == int(n));
  cached_parse<std::string>("test-f", files.back(), CountingParser{&calls});  // newest: kept
  CHECK(calls == int(n));
  cached_parse<std::string>("test-f", files.front(), CountingParser{&calls});  // oldest: dropped
  CHECK(calls == int(n) + 1);
  for (const auto& f : files) std::filesystem::remove(f);
}
