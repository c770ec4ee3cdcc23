// doctest main for the kernel tests, plus the run's random seed: fresh from
// std::random_device every run (printed so a failure can be replayed with
// MSAO_TEST_SEED=<seed>).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "kernels/tests/reference.hpp"

namespace msao::kernels::test {

uint64_t seed() {
  static const uint64_t s = [] {
    const char* env = std::getenv("MSAO_TEST_SEED");
    const uint64_t v = env ? std::strtoull(env, nullptr, 10) : (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
    std::fprintf(stderr, "kernel tests: seed %llu (replay with MSAO_TEST_SEED)\n", (unsigned long long)v);
    return v;
  }();
  return s;
}

}  // namespace msao::kernels::test
