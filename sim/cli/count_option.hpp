// Whole-number options with bounds a person can read: CLI11's
// NonNegativeNumber and PositiveNumber print the largest double (309
// digits) as their upper bound. The Python package checks its jobs= with
// the same words as --jobs.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace msao::cli {

// text as a whole number in [lo, hi]; nullopt for a sign out of range, a
// fraction, other text or a number too large for any integer.
std::optional<long long> whole_number_in(const std::string& text, long long lo, long long hi);
// "a whole number from lo to hi (what)".
std::string whole_number_expected(long long lo, long long hi, const std::string& what);
// The check for add_option: "found 'TEXT', expected " + whole_number_expected(...).
CLI::Validator whole_number(long long lo, long long hi, const std::string& what);

// --jobs (compare, sweep, reproduce; Python's jobs=): runs at once.
inline constexpr long long kMaxJobs = 4096;
std::string jobs_expected();
CLI::Validator jobs_validator();

}  // namespace msao::cli
