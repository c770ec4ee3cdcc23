// Policy: maps (request, what the device observes now, its own state) to a
// Plan. One file per policy under policies/, registered by name with its
// parameters (declared once: name, default, range, help), so YAML,
// `--set policy.KEY=VALUE`, validation and `msao list policies` all come
// from the same table.
//
// What a policy may read of the Request: sizes, modalities, prompt and
// output lengths, MAS (computed on the edge), and the edge model's
// confidence (known once the edge has run its model: policies that use it
// must plan an edge run). The correctness flags are ground truth for the
// oracle only.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/exec_plan.hpp"
#include "sim/engine/observation.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/policy/plan.hpp"

namespace msao {

class Planner;

struct PolicyInput {
  const Request& request;
  const Observation& obs;
  const Planner& planner;  // costs and predictions from the cost model
  // A policy that has already planned the Plan it returns may leave that
  // ExecPlan here, so it is not planned twice; it must be exactly
  // planner.plan(request, returned Plan). Null where nobody collects it.
  std::optional<ExecPlan>* planned = nullptr;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual Plan decide(const PolicyInput& in) = 0;
  // Outcome feedback after the request finished (learning policies).
  virtual void observe(const Request&, const Plan&, const RequestRecord&) {}
};

// What values a parameter takes: any number in [lo, hi], a whole number
// (a count: gamma, window, layer), or a switch (written true/false or 1/0;
// held as 1 or 0). A scenario giving 2.5 for a whole number or 0.5 for a
// switch is refused, never rounded.
enum class ParamKind { Number, Integer, Flag };

struct ParamSpec {
  std::string name;
  double dflt = 0, lo = 0, hi = 0;
  std::string help;
  ParamKind kind = ParamKind::Number;
};
using PolicyParams = std::map<std::string, double>;

struct PolicyInfo {
  std::string name;
  std::string description;  // one line, for `msao list policies`
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Policy>(const PolicyParams&)> make;
};

bool register_policy(PolicyInfo info);
const std::vector<PolicyInfo>& all_policies();  // sorted by name
// nullptr if unknown.
const PolicyInfo* find_policy(const std::string& name);
std::string policy_names();  // "a, b, c"

}  // namespace msao
