#include "sim/dse/seed_list.hpp"

#include <algorithm>
#include <charconv>

namespace msao::dse {

std::optional<std::vector<uint64_t>> parse_seed_list(const std::vector<std::string>& items, std::string& bad) {
  std::vector<uint64_t> out;
  if (items.empty()) {
    bad = "an empty list";
    return std::nullopt;
  }
  if (items.size() > kMaxSeeds) {
    bad = std::to_string(items.size()) + " seeds";
    return std::nullopt;
  }
  for (const auto& s : items) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v > (uint64_t(1) << 62)) {
      bad = s.empty() ? "an empty item" : "'" + s + "'";
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), v) != out.end()) {
      bad = "seed " + s + " twice";
      return std::nullopt;
    }
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  size_t at = 0;
  for (;;) {
    const size_t c = text.find(',', at);
    items.push_back(text.substr(at, c == std::string::npos ? std::string::npos : c - at));
    if (c == std::string::npos) return items;
    at = c + 1;
  }
}

std::string join_seeds(const std::vector<uint64_t>& seeds) {
  std::string s;
  for (size_t i = 0; i < seeds.size(); ++i) s.append(i ? "," : "").append(std::to_string(seeds[i]));
  return s;
}

}  // namespace msao::dse
