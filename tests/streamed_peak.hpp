// Peak memory of a streamed run (`msao run`'s path: run_to_dir), for the
// tests that bound it. The run goes in a forked child capped at a 4 GiB
// address space (not in sanitizer builds: ASan reserves terabytes of shadow),
// so a run that outgrows it fails instead of swapping; its requests.csv and
// iterations.csv are links to /dev/null, which the writer writes through:
// every row is formatted and written without filling the disk.
#pragma once
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "sim/run/run_to_dir.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/fork_run.hpp"

namespace msao::test {

// Peak RSS (KiB) of `scenario` with `overrides`; checks that all `requests` completed.
inline long streamed_peak_kib(const std::string& scenario, const std::vector<std::string>& overrides, size_t requests,
                              const std::filesystem::path& out) {
  std::filesystem::create_directories(out);
  for (const char* f : {"requests.csv", "iterations.csv"}) std::filesystem::create_symlink("/dev/null", out / f);
  const auto r = fork_run([&] {
#ifndef MSAO_SANITIZE
    const rlimit cap{rlim_t(4) << 30, rlim_t(4) << 30};
    setrlimit(RLIMIT_AS, &cap);
#endif
    const RunOutput o = run_to_dir(out.string(), load_scenario(scenario, overrides));
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return std::to_string(o.summary.completed) + " " + std::to_string(usage.ru_maxrss);
  });
  REQUIRE_MESSAGE(r.ok, "status " << r.status << ": " << r.out);
  std::istringstream in(r.out);
  size_t completed = 0;
  long peak_kib = 0;
  in >> completed >> peak_kib;
  CHECK(completed == requests);
  std::filesystem::remove_all(out);
  return peak_kib;
}

}  // namespace msao::test
