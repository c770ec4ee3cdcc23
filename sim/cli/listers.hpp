// Lister registry behind `msao list WHAT`: each catalog or registry that can
// be listed registers a printer under a name from its own file (a static
// initialiser), so `list policies` and the like are added without touching
// cmd_list.cpp.
#pragma once
#include <functional>
#include <map>
#include <ostream>
#include <string>

namespace msao::cli {

using Lister = std::function<void(std::ostream&)>;

// Registered listers by name (function-local static: safe from init order).
std::map<std::string, Lister>& listers();
bool register_lister(const std::string& name, Lister fn);

}  // namespace msao::cli
