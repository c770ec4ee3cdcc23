// `msao trace gen` writes each request as it makes it: its memory does not
// grow with --n (10,000,000, the documented maximum, used to end in
// std::bad_alloc at 3.7 GB), and the file holds the same bytes as before.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/workload_test_util.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"

using namespace msao;
using namespace msao::test;

namespace {

// Peak RSS (KiB) of `msao trace gen ARGS`, output discarded, in a child
// capped at a 4 GiB address space (not in sanitizer builds); -1 if it failed.
long trace_gen_peak_kib(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
#ifndef MSAO_SANITIZE
    const rlimit cap{rlim_t(4) << 30, rlim_t(4) << 30};
    setrlimit(RLIMIT_AS, &cap);
#endif
    freopen("/dev/null", "w", stdout);
    std::vector<char*> argv{const_cast<char*>(MSAO_BINARY), const_cast<char*>("trace"), const_cast<char*>("gen")};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(MSAO_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? usage.ru_maxrss : -1;
}

}  // namespace

TEST_CASE("msao trace gen: peak RSS is flat between 20k and 200k requests, with or without arrivals") {
#ifndef MSAO_SANITIZE
  for (const std::vector<std::string>& extra : {std::vector<std::string>{}, {"--rate-rps", "5", "--edges", "3"}}) {
    auto args = [&](const char* n) {
      std::vector<std::string> a{"--n", n, "-o", "/dev/null"};
      a.insert(a.end(), extra.begin(), extra.end());
      return a;
    };
    const long small = trace_gen_peak_kib(args("20000"));
    const long large = trace_gen_peak_kib(args("200000"));
    MESSAGE("peak RSS: 20k requests " << small / 1024 << " MiB, 200k requests " << large / 1024 << " MiB");
    REQUIRE(small > 0);
    REQUIRE(large > 0);
    CHECK(large <= small * 1.10);
  }
#endif
}

TEST_CASE("msao trace gen streamed writes the rows generate_requests makes, and they read back") {
  const std::string path = scratch_path("streamed.csv");
  REQUIRE(trace_gen_peak_kib({"--n", "3000", "--dataset", "mmbench", "--seed", "7", "-o", path}) > 0);
  const std::vector<Request> made = generate_requests("mmbench", 3000, 7);
  std::string want = std::string(kMasTraceVersionLine) + "\n" + mas_trace_header() + "\n";
  for (const auto& r : made) want += mas_trace_row(r) + "\n";
  CHECK(slurp(path) == want);
  const std::vector<Request> back = read_mas_trace(path);
  REQUIRE(back.size() == made.size());
  CHECK(mas_trace_row(back.back()) == mas_trace_row(made.back()));
}
