// Registry<Info>: a list of named plug-ins (policies, cloud dispatchers,
// CLI commands) that each register themselves from a static initialiser
// in their own file, so adding one touches no shared file. Info needs a
// `name` member. Entries are kept sorted by name, whatever order the
// static initialisers ran in, so listings and lookups are reproducible.
#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace msao {

template <class Info>
class Registry {
 public:
  // Returns true so that `const bool registered = Registry<I>::add(...)`
  // runs at static-initialisation time.
  static bool add(Info info) {
    auto& r = entries();
    const auto at = std::upper_bound(r.begin(), r.end(), info.name,
                                     [](const std::string& n, const Info& i) { return n < i.name; });
    r.insert(at, std::move(info));
    return true;
  }
  static const std::vector<Info>& all() { return entries(); }
  // nullptr if no entry has that name.
  static const Info* find(std::string_view name) {
    for (const auto& i : entries())
      if (i.name == name) return &i;
    return nullptr;
  }
  static std::vector<std::string> names() {
    std::vector<std::string> n;
    for (const auto& i : entries()) n.push_back(i.name);
    return n;
  }

 private:
  static std::vector<Info>& entries() {
    static std::vector<Info> r;  // function-local: safe from static-initialisation order
    return r;
  }
};

}  // namespace msao
