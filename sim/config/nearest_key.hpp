// nearest_key: the candidate a misspelt key most likely meant, so an
// unknown key's message can say "did you mean 'platform'?" instead of
// only listing every known key.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace msao {

// The candidate closest to word by edit distance (insertions, deletions,
// substitutions and swaps of neighbours each count 1), if it is close
// enough to be a typo: at most 2 edits and fewer than half of word's
// letters. Ties go to the first candidate.
std::optional<std::string> nearest_key(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace msao
