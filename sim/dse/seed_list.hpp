// Lists of simulation seeds for `msao tune` (tune_seeds, eval_seeds): read
// from a tune file's YAML list or a comma-separated command-line value. A
// seed is a whole number in [0, 2^62] (run.seed's range); a list holds 1 to
// kMaxSeeds distinct seeds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace msao::dse {

inline constexpr size_t kMaxSeeds = 1000;
inline constexpr const char* kSeedListExpected = "a list of 1 to 1000 distinct seeds, each a whole number in [0, 2^62]";

// The seeds, or nullopt with `bad` set to the offending item (or a
// description of what is wrong with the list as a whole).
std::optional<std::vector<uint64_t>> parse_seed_list(const std::vector<std::string>& items, std::string& bad);
// "101,102,103" -> items; an empty item stays (and is then rejected).
std::vector<std::string> split_commas(const std::string& text);
std::string join_seeds(const std::vector<uint64_t>& seeds);

}  // namespace msao::dse
