#include "sim/config/override_blame.hpp"

namespace msao {

namespace {
// Error keys index lists as "edges[0]"; --set keys as "edges.0". A key
// may itself contain brackets (a misspelt one named by an error): only a
// matched "[...]" is rewritten.
std::string dotted(std::string key) {
  for (size_t i = 0; (i = key.find('[', i)) != std::string::npos;) {
    const size_t close = key.find(']', i);
    if (close == std::string::npos) break;
    key[i] = '.';
    key.erase(close, 1);
  }
  return key;
}
}  // namespace

void blame_override(const InputError& e, const std::string& path, const std::vector<std::string>& overrides) {
  if (e.file() != path || e.key().empty()) return;
  const std::string key = dotted(e.key());
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    const std::string set_key = it->substr(0, it->find('='));
    // An unknown key that --set brought in itself: "runn" from --set runn.seed=3.
    const bool brought_in = set_key.starts_with(key + ".") && e.found().starts_with("unknown key '");
    if (key == set_key || key.starts_with(set_key + ".") || brought_in)
      throw InputError("--set " + *it, 0, e.key(), e.found(), e.expected());
  }
}

}  // namespace msao
