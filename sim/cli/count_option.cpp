#include "sim/cli/count_option.hpp"

#include <charconv>

namespace msao::cli {

std::optional<long long> whole_number_in(const std::string& text, long long lo, long long hi) {
  long long v = 0;
  const char* end = text.data() + text.size();
  const char* first = text.data() + (text.starts_with('+') ? 1 : 0);
  const auto [p, ec] = std::from_chars(first, end, v);
  if (text.empty() || ec != std::errc() || p != end || v < lo || v > hi) return std::nullopt;
  return v;
}

std::string whole_number_expected(long long lo, long long hi, const std::string& what) {
  return "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + " (" + what + ")";
}

CLI::Validator whole_number(long long lo, long long hi, const std::string& what) {
  return CLI::Validator(
      [lo, hi, what](std::string& v) {
        return whole_number_in(v, lo, hi) ? std::string() : "found '" + v + "', expected " + whole_number_expected(lo, hi, what);
      },
      "N");
}

std::string jobs_expected() { return whole_number_expected(0, kMaxJobs, "runs at once; 0: one per core"); }

CLI::Validator jobs_validator() { return whole_number(0, kMaxJobs, "runs at once; 0: one per core"); }

}  // namespace msao::cli
