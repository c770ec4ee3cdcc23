// YamlSection: typed, validated access to one YAML map, used by every input
// file (scenarios, catalogs, profiles, traces' side files). Each getter names
// the key, its default (if any), its valid range and its help text in one
// place; finish() rejects keys nobody asked for, so a typo is an error rather
// than a silent default. Every value read is copied into a "resolved" map so
// the fully resolved config can be written beside the results.
#pragma once
#include <yaml-cpp/yaml.h>

#include <limits>
#include <memory>
#include <optional>
#include <variant>
#include <set>
#include <string>
#include <vector>

#include "sim/config/input_error.hpp"

namespace msao {

class YamlSection {
 public:
  // node must be a map (or null/undefined for an absent optional section).
  YamlSection(YAML::Node node, std::string file, std::string path = "");

  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // Required number in [lo, hi].
  double num(const std::string& key, double lo = -kInf, double hi = kInf);
  // Optional number with default.
  double num_or(const std::string& key, double dflt, double lo = -kInf, double hi = kInf);
  long long integer(const std::string& key, long long lo, long long hi);
  long long integer_or(const std::string& key, long long dflt, long long lo, long long hi);
  std::string str(const std::string& key);
  std::string str_or(const std::string& key, const std::string& dflt);
  // String that must be one of `allowed`.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     std::optional<std::string> dflt = std::nullopt);
  bool flag_or(const std::string& key, bool dflt);
  // One scalar or a list of scalars, as strings.
  std::vector<std::string> strings(const std::string& key);
  // A path to another input file. A relative path is taken from this file's
  // folder when the file is there (or is nowhere relative to the working
  // directory), else from the working directory. A path that does not
  // exist is an InputError naming this file and key.
  std::string file_path(const std::string& key);
  // A quantity with an optional unit suffix, e.g. "300Mbps", "20ms", "24GB".
  // unit_kind: "bandwidth" (-> bytes/s), "time" (-> s), "bytes" (-> bytes).
  double quantity(const std::string& key, const std::string& unit_kind, std::optional<double> dflt = std::nullopt,
                  double lo = 0, double hi = kInf);

  bool has(const std::string& key) const;
  // Sub-section; required unless `optional` (then an empty section).
  YamlSection child(const std::string& key, bool optional = false);
  // Sequence of maps under key.
  std::vector<YamlSection> list(const std::string& key, bool optional = false);
  // Mark a key as consumed without reading it (e.g. read by another component).
  void consume(const std::string& key);
  // Rejects any key that no getter asked for.
  void finish() const;

  // Errors about a key of this section.
  [[noreturn]] void fail(const std::string& key, const std::string& found, const std::string& expected) const;
  // A required key that is absent: fail(), unless an unread key of this
  // section is a likely misspelling of it, which is then the one reported.
  [[noreturn]] void missing(const std::string& key, const std::string& found, const std::string& expected) const;

  const std::string& file() const { return file_; }
  YAML::Node raw() const { return node_; }
  // The resolved values of this section and every child read through it.
  YAML::Node resolved() const;
  // Line (1-based) of key's value, or of the section, 0 if unknown.
  int line_of(const std::string& key) const;

 private:
  // Keys present in the node, in file order (for finish()).
  std::vector<std::string> keys() const;
  YAML::Node get(const std::string& key) const;
  std::string full_key(const std::string& key) const;
  double to_number(const std::string& key, const YAML::Node& n) const;
  std::string describe(const YAML::Node& n) const;

  // Resolved values live in one tree shared by a section and its children.
  // Writes walk from the root with Node::reset, never assigning one node
  // handle to another: yaml-cpp's handle assignment aliases nodes across
  // memory pools and leaves dangling nodes when a child section dies.
  using PathStep = std::variant<std::string, size_t>;
  YAML::Node resolved_node() const;
  template <typename T>
  void set_resolved(const std::string& key, const T& value);

  YAML::Node node_;
  std::string file_, path_;
  mutable std::set<std::string> used_;
  mutable std::set<std::string> asked_;  // by has(): known keys for finish()'s message
  std::shared_ptr<YAML::Node> tree_;
  std::vector<PathStep> steps_;
};

// The largest YAML file read (scenarios, catalog entries, profiles, sweep
// and tune files are a few KB; 100000 nodes, the most a document may hold,
// take a few MB).
inline constexpr uint64_t kMaxYamlFileBytes = uint64_t{16} << 20;

// Load a YAML file; missing file or malformed YAML is an InputError.
YAML::Node load_yaml_file(const std::string& path);
// Same, and the document must be a map; `expected` names its keys for the error.
YAML::Node load_yaml_map(const std::string& path, const std::string& expected);

// Parse "value" of a --set key=value into a YAML node (so 3 is a number,
// [a,b] a list, text a string), and assign it at the dotted key in root.
void apply_override(YAML::Node& root, const std::string& assignment);

}  // namespace msao
