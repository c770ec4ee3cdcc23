// Catalog lookup: hardware and model entries live as one YAML file each
// under <repo>/platforms/<kind>/, so a user adds a device or a model with a
// file and no code. A bare name resolves inside the catalog; anything that
// looks like a path (contains '/' or ends in .yaml) is read as given. The
// repo root is MSAO_HOME if set, else the source tree the binary was built
// from.
#pragma once
#include <string>
#include <vector>

namespace msao::cost {

// Path of the catalog file for name_or_path; an unknown name is an InputError
// listing the known names. kind is "hardware" or "models".
std::string resolve_catalog(const std::string& kind, const std::string& name_or_path);
// Whether `name` (no '/') is in the catalog: one stat, where listing the
// catalog to search it reads the whole folder (a tenth of a fuzz execution).
// Equal to finding it in list_catalog(kind).
bool in_catalog(const std::string& kind, const std::string& name);
// Names (file stems) in the catalog, sorted.
std::vector<std::string> list_catalog(const std::string& kind);
// What an unknown name's error expects: "a KIND catalog name, one of: a b
// c (or a path to a .yaml file)".
std::string catalog_expected(const std::string& kind);
// A file under the repository root the catalogs are read from (MSAO_HOME or
// the source tree), e.g. "platforms/paper/msao.json".
std::string repository_file(const std::string& relative);

}  // namespace msao::cost
