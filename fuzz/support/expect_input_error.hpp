// The contract every harness checks: bad input ends in InputError (exit 2 in
// the CLI). Any other exception escapes to libFuzzer, which reports it as a
// finding (uncaught exception -> abort), as it does crashes, sanitizer
// reports, timeouts (-timeout) and huge allocations (-malloc_limit_mb).
#pragma once
#include "sim/config/input_error.hpp"

namespace msao::fuzz {

template <class F>
int expect_input_error(F&& body) {
  try {
    body();
  } catch (const InputError&) {
    // The expected answer to bad input.
  }
  return 0;
}

}  // namespace msao::fuzz
