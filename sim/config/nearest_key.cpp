#include "sim/config/nearest_key.hpp"

#include <algorithm>

namespace msao {

namespace {
// Optimal string alignment distance (Damerau-Levenshtein without
// re-editing a swapped pair): "platfrom" is one swap from "platform".
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

std::optional<std::string> nearest_key(const std::string& word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_d = 3;  // more than 2 edits is not a typo
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d && 2 * d < word.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

}  // namespace msao
