#include <algorithm>

#include "sim/policy/policy.hpp"

namespace msao {

namespace {
std::vector<PolicyInfo>& registry() {
  static std::vector<PolicyInfo> r;  // function-local: static-init-order safe
  return r;
}
}  // namespace

bool register_policy(PolicyInfo info) {
  auto& r = registry();
  r.push_back(std::move(info));
  std::sort(r.begin(), r.end(), [](const PolicyInfo& a, const PolicyInfo& b) { return a.name < b.name; });
  return true;
}

const std::vector<PolicyInfo>& all_policies() { return registry(); }

const PolicyInfo* find_policy(const std::string& name) {
  for (const auto& p : registry())
    if (p.name == name) return &p;
  return nullptr;
}

std::string policy_names() {
  std::string s;
  for (const auto& p : registry()) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

}  // namespace msao
