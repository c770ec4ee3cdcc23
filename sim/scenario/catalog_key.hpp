// load_named: reads a scenario key that names a catalog entry or a file
// (hardware, models, profiles) and loads it, so that an unknown name or a
// missing file is reported at the scenario's file, line and key (the
// catalog's own error could only name the catalog folder or the path).
// Errors inside an entry that exists still name that entry's file.
#pragma once
#include <string>

#include "sim/config/yaml_section.hpp"

namespace msao {

template <typename Load>
auto load_named(YamlSection& s, const std::string& key, Load load) -> decltype(load(std::string())) {
  const std::string name = s.str(key);
  try {
    return load(name);
  } catch (const InputError& e) {
    if (e.found().starts_with("unknown name"))
      s.fail(key, e.found() + " (catalog " + e.file() + ")", e.expected());
    if (e.found() == "no such file") s.fail(key, "'" + e.file() + "' (no such file)", e.expected());
    throw;
  }
}

}  // namespace msao
