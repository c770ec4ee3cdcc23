// Lister registry behind `msao list WHAT`: each catalog or registry that can
// be listed registers a printer under a name from its own file (a static
// initialiser), so `list policies` and the like are added without touching
// cmd_list.cpp.
#pragma once
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace msao::cli {

using Lister = std::function<void(std::ostream&)>;

// Registered listers by name (function-local static: safe from init order).
std::map<std::string, Lister>& listers();
bool register_lister(const std::string& name, Lister fn);

// What `list models` prints of a model, shared with the Python package's
// list_models: weights and KV cache per token (neither depends on the
// device), and its input modalities.
struct ModelSizes {
  double weight_bytes = 0, kv_bytes_per_token = 0;
  std::vector<std::string> modalities;
};
ModelSizes model_sizes(const std::string& catalog_name);

}  // namespace msao::cli
