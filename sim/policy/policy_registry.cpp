#include "sim/policy/policy.hpp"
#include "sim/util/registry.hpp"

namespace msao {

bool register_policy(PolicyInfo info) { return Registry<PolicyInfo>::add(std::move(info)); }

const std::vector<PolicyInfo>& all_policies() { return Registry<PolicyInfo>::all(); }

const PolicyInfo* find_policy(const std::string& name) { return Registry<PolicyInfo>::find(name); }

std::string policy_names() {
  std::string s;
  for (const auto& n : Registry<PolicyInfo>::names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace msao
