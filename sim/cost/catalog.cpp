#include "sim/cost/catalog.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "sim/config/input_error.hpp"

namespace msao::cost {

namespace fs = std::filesystem;

// Root of the repository the catalogs are read from.
static std::string catalog_root() {
  if (const char* home = std::getenv("MSAO_HOME"); home && *home) return home;
  return MSAO_SOURCE_DIR;
}

static fs::path catalog_dir(const std::string& kind) { return fs::path(catalog_root()) / "platforms" / kind; }

std::string repository_file(const std::string& relative) { return (fs::path(catalog_root()) / relative).string(); }

std::vector<std::string> list_catalog(const std::string& kind) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(catalog_dir(kind), ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string catalog_expected(const std::string& kind) {
  std::string expected = "a " + kind + " catalog name, one of:";
  for (const auto& n : list_catalog(kind)) expected.append(" ").append(n);
  return expected.append(" (or a path to a .yaml file)");
}

bool in_catalog(const std::string& kind, const std::string& name) {
  // A name list_catalog could give: not empty, no '/' or NUL.
  if (name.empty() || name.find_first_of(std::string("/\0", 2)) != std::string::npos) return false;
  std::error_code ec;
  return fs::is_regular_file(catalog_dir(kind) / (name + ".yaml"), ec);
}

std::string resolve_catalog(const std::string& kind, const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.ends_with(".yaml"));
  if (is_path) return name_or_path;
  fs::path p = catalog_dir(kind) / (name_or_path + ".yaml");
  if (fs::exists(lookup_path(p))) return p.string();
  throw InputError(catalog_dir(kind).string(), 0, kind, "unknown name '" + name_or_path + "'", catalog_expected(kind));
}

}  // namespace msao::cost
