// A stable 64-bit content hash (FNV-1a) for sweep run identities: the same
// base file and overrides give the same key on every machine and build, so a
// resumed sweep recognises the runs it already finished.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace msao::dse {

inline uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
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

}  // namespace msao::dse
