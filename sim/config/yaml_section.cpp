#include "sim/config/yaml_section.hpp"

#include <yaml-cpp/depthguard.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "sim/config/input_file.hpp"
#include "sim/config/nearest_key.hpp"
#include "sim/config/yaml_documents.hpp"

namespace msao {

namespace {
std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}
std::string fmt_num(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}
}  // namespace

YamlSection::YamlSection(YAML::Node node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)),
      tree_(std::make_shared<YAML::Node>(YAML::NodeType::Map)) {
  if (node_ && !node_.IsNull() && !node_.IsMap())
    throw InputError(file_, node_.Mark().line >= 0 ? node_.Mark().line + 1 : 0, path_, describe(node_),
                     "a map of key: value");
}

YAML::Node YamlSection::resolved_node() const {
  YAML::Node n = *tree_;
  for (const auto& st : steps_) {
    if (const auto* k = std::get_if<std::string>(&st))
      n.reset(n[*k]);
    else
      n.reset(n[std::get<size_t>(st)]);
  }
  return n;
}

YAML::Node YamlSection::resolved() const {
  YAML::Node n = resolved_node();
  return n;
}

template <typename T>
void YamlSection::set_resolved(const std::string& key, const T& value) {
  YAML::Node n = resolved_node();
  n[key] = value;
}

std::string YamlSection::full_key(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

int YamlSection::line_of(const std::string& key) const {
  YAML::Node n = get(key);
  if (n && n.Mark().line >= 0) return n.Mark().line + 1;
  if (node_ && node_.Mark().line >= 0) return node_.Mark().line + 1;
  return 0;
}

void YamlSection::fail(const std::string& key, const std::string& found, const std::string& expected) const {
  throw InputError(file_, line_of(key), full_key(key), found, expected);
}

void YamlSection::missing(const std::string& key, const std::string& found, const std::string& expected) const {
  // A required key is most often missing because it is misspelt: blame the
  // misspelling (its own line) rather than report the right name absent.
  std::vector<std::string> unread;
  for (const auto& k : keys())
    if (!used_.count(k)) unread.push_back(k);
  for (const auto& k : unread)
    if (nearest_key(k, {key}))
      fail(k, "unknown key '" + k + "'", "'" + key + "' (did you mean it? it is required here)");
  fail(key, found, expected);
}

YAML::Node YamlSection::get(const std::string& key) const {
  if (!node_ || !node_.IsMap()) return YAML::Node();
  // operator[] on a const node does not insert.
  const YAML::Node& c = node_;
  return c[key];
}

bool YamlSection::has(const std::string& key) const {
  asked_.insert(key);
  YAML::Node n = get(key);
  return n && !n.IsNull();
}

std::string YamlSection::describe(const YAML::Node& n) const {
  if (!n || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  return "an unknown node";
}

double YamlSection::to_number(const std::string& key, const YAML::Node& n) const {
  if (!n.IsScalar()) fail(key, describe(n), "a number");
  const std::string s = trim(n.Scalar());
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) fail(key, "'" + s + "'", "a finite number");
  return v;
}

double YamlSection::num(const std::string& key, double lo, double hi) {
  used_.insert(key);
  YAML::Node n = get(key);
  if (!n || n.IsNull()) missing(key, "nothing (missing key)", "a number in [" + fmt_num(lo) + ", " + fmt_num(hi) + "]");
  double v = to_number(key, n);
  if (v < lo || v > hi) fail(key, fmt_num(v), "a number in [" + fmt_num(lo) + ", " + fmt_num(hi) + "]");
  set_resolved(key, v);
  return v;
}

double YamlSection::num_or(const std::string& key, double dflt, double lo, double hi) {
  if (!has(key)) {
    used_.insert(key);
    set_resolved(key, dflt);
    return dflt;
  }
  return num(key, lo, hi);
}

long long YamlSection::integer(const std::string& key, long long lo, long long hi) {
  used_.insert(key);
  YAML::Node n = get(key);
  std::string range = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!n || n.IsNull()) missing(key, "nothing (missing key)", range);
  if (!n.IsScalar()) fail(key, describe(n), range);
  const std::string s = trim(n.Scalar());
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE) fail(key, "'" + s + "'", range);
  if (v < lo || v > hi) fail(key, s, range);
  set_resolved(key, v);
  return v;
}

long long YamlSection::integer_or(const std::string& key, long long dflt, long long lo, long long hi) {
  if (!has(key)) {
    used_.insert(key);
    set_resolved(key, dflt);
    return dflt;
  }
  return integer(key, lo, hi);
}

std::string YamlSection::str(const std::string& key) {
  used_.insert(key);
  YAML::Node n = get(key);
  if (!n || n.IsNull()) missing(key, "nothing (missing key)", "a string");
  if (!n.IsScalar()) fail(key, describe(n), "a string");
  set_resolved(key, n.Scalar());
  return n.Scalar();
}

std::string YamlSection::str_or(const std::string& key, const std::string& dflt) {
  if (!has(key)) {
    used_.insert(key);
    set_resolved(key, dflt);
    return dflt;
  }
  return str(key);
}

std::string YamlSection::choice(const std::string& key, const std::vector<std::string>& allowed,
                                std::optional<std::string> dflt) {
  std::string v = (dflt && !has(key)) ? (used_.insert(key), *dflt) : str(key);
  for (const auto& a : allowed)
    if (a == v) {
      set_resolved(key, v);
      return v;
    }
  std::string exp = "one of:";
  for (const auto& a : allowed) exp += " " + a;
  fail(key, "'" + v + "'", exp);
}

bool YamlSection::flag_or(const std::string& key, bool dflt) {
  used_.insert(key);
  if (!has(key)) {
    set_resolved(key, dflt);
    return dflt;
  }
  YAML::Node n = get(key);
  if (n.IsScalar()) {
    std::string s = n.Scalar();
    if (s == "true" || s == "yes" || s == "on") return set_resolved(key, true), true;
    if (s == "false" || s == "no" || s == "off") return set_resolved(key, false), false;
  }
  fail(key, describe(n), "true or false");
}

std::vector<std::string> YamlSection::strings(const std::string& key) {
  used_.insert(key);
  YAML::Node n = get(key);
  std::vector<std::string> out;
  if (n && n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n && n.IsSequence()) {
    for (const auto& v : n) {
      if (!v.IsScalar()) fail(key, "a nested list or map", "a list of scalar values");
      out.push_back(v.Scalar());
    }
  } else {
    fail(key, describe(n), "a value or a list of values");
  }
  YAML::Node seq(YAML::NodeType::Sequence);
  for (const auto& v : out) seq.push_back(v);
  set_resolved(key, seq);
  return out;
}

std::string YamlSection::file_path(const std::string& key) {
  std::filesystem::path p = str(key);
  if (p.is_relative()) {
    std::filesystem::path rel = std::filesystem::path(file_).parent_path() / p;
    if (std::filesystem::exists(lookup_path(rel)) || !std::filesystem::exists(lookup_path(p))) p = rel;
  }
  // Checked here, where this file and key are known: the reader of the
  // file could only name the missing path.
  std::string why;
  if (!std::filesystem::exists(lookup_path(p, &why)))
    fail(key, "'" + p.lexically_normal().string() + "' (" + why + ")",
         "an existing file (a relative path is taken from the folder of " + file_ + ", else the working directory)");
  return p.lexically_normal().string();
}

// A quantity with its unit; InputError with the given context.
static double parse_quantity(const std::string& text, const std::string& unit_kind, const std::string& file, int line,
                             const std::string& key) {
  static const std::map<std::string, std::map<std::string, double>> units = {
      // No bare number: 300 could mean bits or bytes per second, so a
      // bandwidth names its unit.
      {"bandwidth",
       {{"Bps", 1.0},
        {"kBps", 1e3},
        {"MBps", 1e6},
        {"GBps", 1e9},
        {"bps", 1.0 / 8},
        {"kbps", 1e3 / 8},
        {"Kbps", 1e3 / 8},
        {"Mbps", 1e6 / 8},
        {"Gbps", 1e9 / 8}}},
      {"time", {{"", 1.0}, {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"min", 60.0}, {"h", 3600.0}}},
      {"bytes", {{"", 1.0}, {"B", 1.0}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"KiB", 1024.0},
                 {"MiB", 1048576.0}, {"GiB", 1073741824.0}}},
  };
  const auto& table = units.at(unit_kind);
  std::string s = trim(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  std::string unit = trim(std::string(end));
  std::string expected = "a " + unit_kind + " such as ";
  expected += unit_kind == "bandwidth" ? "'300Mbps' (units:" : unit_kind == "time" ? "'20ms' (units:" : "'24GB' (units:";
  for (const auto& [u, f] : table)
    if (!u.empty()) expected += " " + u;
  expected += unit_kind == "bandwidth" ? "; a bare number is refused: bits or bytes?)"
                                       : "; a bare number is in " + std::string(unit_kind == "time" ? "s" : "bytes") + ")";
  if (end == s.c_str() || !std::isfinite(v)) throw InputError(file, line, key, "'" + text + "'", expected);
  auto it = table.find(unit);
  if (it == table.end()) throw InputError(file, line, key, "'" + text + "'", expected);
  return v * it->second;
}

double YamlSection::quantity(const std::string& key, const std::string& unit_kind, std::optional<double> dflt, double lo,
                             double hi) {
  used_.insert(key);
  if (!has(key)) {
    if (!dflt) missing(key, "nothing (missing key)", "a " + unit_kind);
    // Written with its unit where a bare number would be refused on reading it back.
    if (unit_kind == "bandwidth") set_resolved(key, fmt_num(*dflt) + "Bps");
    else set_resolved(key, *dflt);
    return *dflt;
  }
  YAML::Node n = get(key);
  if (!n.IsScalar()) fail(key, describe(n), "a " + unit_kind);
  double v = parse_quantity(n.Scalar(), unit_kind, file_, line_of(key), full_key(key));
  if (v < lo || v > hi)
    fail(key, "'" + n.Scalar() + "'", "a " + unit_kind + " in [" + fmt_num(lo) + ", " + fmt_num(hi) + "] (SI base units)");
  set_resolved(key, n.Scalar());
  return v;
}

YamlSection YamlSection::child(const std::string& key, bool optional) {
  used_.insert(key);
  YAML::Node n = get(key);
  if ((!n || n.IsNull()) && !optional) missing(key, "nothing (missing section)", "a map");
  YamlSection c(n, file_, full_key(key));
  set_resolved(key, YAML::Node(YAML::NodeType::Map));
  c.tree_ = tree_;
  c.steps_ = steps_;
  c.steps_.push_back(key);
  return c;
}

std::vector<YamlSection> YamlSection::list(const std::string& key, bool optional) {
  used_.insert(key);
  YAML::Node n = get(key);
  std::vector<YamlSection> out;
  if (!n || n.IsNull()) {
    if (!optional) missing(key, "nothing (missing list)", "a list of maps");
    return out;
  }
  if (!n.IsSequence()) fail(key, describe(n), "a list of maps");
  YAML::Node seq(YAML::NodeType::Sequence);
  for (size_t i = 0; i < n.size(); ++i) seq.push_back(YAML::Node(YAML::NodeType::Map));
  set_resolved(key, seq);
  for (size_t i = 0; i < n.size(); ++i) {
    out.emplace_back(n[i], file_, full_key(key) + "[" + std::to_string(i) + "]");
    out.back().tree_ = tree_;
    out.back().steps_ = steps_;
    out.back().steps_.push_back(key);
    out.back().steps_.push_back(i);
  }
  return out;
}

void YamlSection::consume(const std::string& key) { used_.insert(key); }

std::vector<std::string> YamlSection::keys() const {
  std::vector<std::string> k;
  if (node_ && node_.IsMap())
    for (const auto& kv : node_) k.push_back(kv.first.as<std::string>());
  return k;
}

void YamlSection::finish() const {
  // Known: every key read, and every optional key asked about and absent
  // (an absent outage or profile stage is still a key the user may mean).
  std::set<std::string> known = used_;
  known.insert(asked_.begin(), asked_.end());
  for (const auto& k : keys())
    if (!used_.count(k)) {
      known.erase(k);  // asked about and present, yet never read
      const auto guess = nearest_key(k, {known.begin(), known.end()});
      std::string exp = guess ? "'" + *guess + "' (did you mean it?) or another of the known keys:" : "one of the known keys:";
      for (const auto& u : known) exp += " " + u;
      if (known.empty()) exp = "no keys here";
      fail(k, "unknown key '" + k + "'", exp);
    }
}

namespace {

int line_of_node(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

// Bounds on a document's shape. An alias inside its own anchor
// (`&s {a: *s}`, found by fuzz/fuzz_tune_spec) makes a cycle that every walk
// would follow until the stack ran out; aliases of aliases can expand a
// short file exponentially ("billion laughs"). No input of this project
// comes near either bound.
constexpr int kMaxYamlDepth = 64;
constexpr size_t kMaxYamlNodes = 100000;

// Nesting past kMaxYamlDepth: caught by check_keys, or by yaml-cpp's own
// guard (DeepRecursion, at a few hundred levels) before that.
InputError too_deep(const std::string& path, int line, const std::string& where, const std::string& why = "") {
  return InputError(path, line, where.substr(0, 200),
                    "lists and maps nested deeper than " + std::to_string(kMaxYamlDepth) + " levels" + why,
                    "at most " + std::to_string(kMaxYamlDepth) + " levels of nesting");
}

// yaml-cpp keeps a map's duplicate keys and answers lookups with the first,
// and throws a conversion error (not an InputError) on a key that is a list
// or map: every map in the document is checked here, once, on load, with
// the depth and the number of nodes (an alias counts as what it repeats).
void check_keys(const YAML::Node& n, const std::string& path, const std::string& where, int depth, size_t& nodes) {
  if (++nodes > kMaxYamlNodes)
    throw InputError(path, line_of_node(n), where, "more than " + std::to_string(kMaxYamlNodes) + " YAML nodes (aliases repeating aliases?)",
                     "at most " + std::to_string(kMaxYamlNodes) + " nodes, an alias counting as the nodes it repeats");
  if (depth > kMaxYamlDepth) throw too_deep(path, line_of_node(n), where, " (an alias inside its own anchor?)");
  if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i) check_keys(n[i], path, where + "[" + std::to_string(i) + "]", depth + 1, nodes);
    return;
  }
  if (!n.IsMap()) return;
  std::map<std::string, int> seen;  // key -> line
  for (const auto& kv : n) {
    if (!kv.first.IsScalar())
      throw InputError(path, line_of_node(kv.first), where, std::string("a ") + (kv.first.IsSequence() ? "list" : "map") + " used as a key",
                       "plain (scalar) keys");
    const std::string& k = kv.first.Scalar();
    const std::string full = where.empty() ? k : where + "." + k;
    auto [it, fresh] = seen.emplace(k, line_of_node(kv.first));
    if (!fresh)
      throw InputError(path, line_of_node(kv.first), full, "the key a second time (first on line " + std::to_string(it->second) + ")",
                       "each key once per section");
    check_keys(kv.second, path, full, depth + 1, nodes);
  }
}

void check_keys(const YAML::Node& n, const std::string& path, const std::string& where) {
  size_t nodes = 0;
  check_keys(n, path, where, 0, nodes);
}

}  // namespace

YAML::Node load_yaml_file(const std::string& path) {
  const std::string text = read_input_text(path, "a readable YAML file", kMaxYamlFileBytes);
  YAML::Node root;
  try {
    // Not LoadAll: it can loop forever (sim/config/yaml_documents.hpp).
    check_single_document(text, path);
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    throw too_deep(path, e.mark.line + 1, "");
  } catch (const YAML::ParserException& e) {
    throw InputError(path, e.mark.line + 1, "", "malformed YAML (" + e.msg + ")", "valid YAML");
  }
  check_keys(root, path, "");
  return root;
}

YAML::Node load_yaml_map(const std::string& path, const std::string& expected) {
  YAML::Node root = load_yaml_file(path);
  if (!root.IsMap()) throw InputError(path, 1, "", "a document that is not a map", expected);
  return root;
}

void apply_override(YAML::Node& root, const std::string& assignment) {
  const std::string where = "--set " + assignment;  // errors name the argument, as the user typed it
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set", 0, "", "'" + assignment + "'", "key=value with a dotted key, e.g. policy.type=cloud-only");
  std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  YAML::Node parsed;
  try {
    // YAML::Load keeps the first document: "3\n---\n..." would set 3 and
    // drop the rest without a word.
    check_single_document(value, where);
    parsed = YAML::Load(value);
  } catch (const InputError& e) {
    throw InputError(where, 0, key, e.found(), e.expected());
  } catch (const YAML::DeepRecursion&) {
    throw too_deep(where, 0, key);
  } catch (const YAML::Exception&) {
    parsed = YAML::Node(value);
  }
  check_keys(parsed, where, key);  // a value such as {[a]: 1} or {x: 1, x: 2}
  std::vector<std::string> parts;
  std::stringstream ss(key);
  for (std::string p; std::getline(ss, p, '.');) {
    if (p.empty()) throw InputError(where, 0, key, "an empty path component", "a dotted key such as run.seed");
    parts.push_back(p);
  }
  // Walk with reset() semantics: yaml-cpp nodes are handles, so build the chain of children.
  // A numeric component on a sequence is an index (platform.edges.0.uplink.bandwidth).
  auto seq_index = [&key, &where](const YAML::Node& seq, const std::string& part) -> std::optional<size_t> {
    if (!seq.IsSequence()) return std::nullopt;
    if (part.find_first_not_of("0123456789") != std::string::npos)
      throw InputError(where, 0, key, "'" + part + "' on a list", "a list index 0.." + std::to_string(seq.size()) + "-1");
    size_t idx = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), idx);
    if (ec != std::errc() || end != part.data() + part.size() || idx >= seq.size())
      throw InputError(where, 0, key, "index " + part, "a list index below " + std::to_string(seq.size()));
    return idx;
  };
  std::vector<YAML::Node> chain{root};
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node cur = chain.back();
    if (auto idx = seq_index(cur, parts[i])) {
      chain.push_back(cur[*idx]);
      continue;
    }
    if (cur.IsDefined() && !cur.IsNull() && !cur.IsMap())
      throw InputError(where, 0, key, "'" + parts[i] + "' is not a map", "a key inside a map section");
    YAML::Node next = cur[parts[i]];
    chain.push_back(next);
  }
  YAML::Node last = chain.back();
  if (auto idx = seq_index(last, parts.back())) {
    last[*idx] = parsed;
    return;
  }
  if (last.IsDefined() && !last.IsNull() && !last.IsMap())
    throw InputError(where, 0, key, "a scalar where a map was needed", "a key inside a map section");
  last[parts.back()] = parsed;
}

}  // namespace msao
