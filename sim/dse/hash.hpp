// A stable 64-bit content hash (FNV-1a) for sweep run identities: the same
// base file and overrides give the same key on every machine and build, so a
// resumed sweep recognises the runs it already finished.
#pragma once
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/input_error.hpp"
#include "sim/config/input_file.hpp"
#include "sim/config/yaml_section.hpp"

namespace msao::dse {

inline constexpr uint64_t kFnv1a64Offset = 1469598103934665603ULL;

// `h`: the hash of what came before, so a long prefix is hashed once and
// each continuation from its state (FNV-1a is a stream).
inline uint64_t fnv1a64(std::string_view s, uint64_t h = kFnv1a64Offset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline std::string hex64(uint64_t v) {
  static const char* d = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = d[v & 15];
  return s;
}

// A run's identity: its base scenario's bytes and its overrides, in order.
// The hash of the base's bytes, then "\n" + each override; from
// `base_state` = fnv1a64(base bytes), so a sweep of a million runs does
// not copy the base file a million times.
// One override "key=value" streamed onto state `h` as run_hash_value
// streams it ("\n" + override), without joining the string first.
inline uint64_t hash_override(uint64_t h, std::string_view key, std::string_view value) {
  return fnv1a64(value, fnv1a64("=", fnv1a64(key, fnv1a64("\n", h))));
}
inline uint64_t run_hash_value(uint64_t base_state, const std::vector<std::string>& overrides) {
  uint64_t h = base_state;
  for (const auto& o : overrides) h = fnv1a64(o, fnv1a64("\n", h));
  return h;
}
inline std::string run_hash_after(uint64_t base_state, const std::vector<std::string>& overrides) {
  return hex64(run_hash_value(base_state, overrides));
}
inline std::string run_hash(std::string_view base_text, const std::vector<std::string>& overrides) {
  return run_hash_after(fnv1a64(base_text), overrides);
}

// A scenario file's bytes ("" if it cannot be read, or is a device or too
// large to be a scenario: the scenario reader reports that; reading
// /dev/zero here never ended).
inline std::string file_text(const std::string& path) {
  try {
    return read_input_text(path, "a readable YAML file", kMaxYamlFileBytes);
  } catch (const InputError&) {
    return "";
  }
}

}  // namespace msao::dse
