#include "sim/dse/slurm_rows.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/dse/sweep_spec.hpp"
#include "sim/util/atomic_file.hpp"

namespace msao::dse {
namespace {

constexpr const char* kPlanMagic = "msao-slurm-plan 1";

// Tabs and newlines separate fields and lines, so they travel escaped.
std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\') o += "\\\\";
    else if (c == '\t') o += "\\t";
    else if (c == '\n') o += "\\n";
    else o += c;
  }
  return o;
}

std::string unescape(const std::string& s) {
  std::string o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      o += s[i];
      continue;
    }
    const char n = s[++i];
    o += n == 't' ? '\t' : n == 'n' ? '\n' : n;
  }
  return o;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) f.push_back(unescape(line.substr(start, tab - start)));
  f.push_back(unescape(line.substr(start)));
  return f;
}

}  // namespace

std::pair<size_t, size_t> task_block(size_t runs, int tasks, int k) {
  const size_t t = static_cast<size_t>(tasks), i = static_cast<size_t>(k);
  return {i * runs / t, (i + 1) * runs / t};
}

void write_slurm_plan(const std::string& path, const SlurmPlan& plan) {
  std::string s = std::string(kPlanMagic) + "\n" + escape(plan.base) + "\n" + format_number(plan.run_timeout_s) + "\n" +
                  std::to_string(plan.tasks) + "\n";
  for (const auto& [hash, overrides] : plan.runs) {
    s += hash;
    for (const auto& o : overrides) s.append("\t").append(escape(o));  // not "\t" + ...: a GCC 12 -Wrestrict false positive
    s += "\n";
  }
  write_file_atomic(path, s);
}

SlurmPlan read_slurm_plan(const std::string& path) {
  std::ifstream in(path);
  std::string magic, base, timeout, tasks;
  if (!std::getline(in, magic) || magic != kPlanMagic || !std::getline(in, base) || !std::getline(in, timeout) ||
      !std::getline(in, tasks))
    throw std::runtime_error(path + ": not a Slurm sweep plan (" + kPlanMagic + ")");
  SlurmPlan p;
  p.base = unescape(base);
  p.run_timeout_s = std::stod(timeout);
  p.tasks = std::stoi(tasks);
  for (std::string line; std::getline(in, line);) {
    auto f = split_tabs(line);
    std::string hash = f.front();
    f.erase(f.begin());
    p.runs.emplace_back(hash, f);
  }
  if (p.tasks < 1) throw std::runtime_error(path + ": task count " + tasks);
  return p;
}

std::string format_row(const RowRecord& r) {
  return "R " + r.hash + (r.ok ? " ok " : " failed ") + std::to_string(r.payload.size()) + "\n" + r.payload + "\n";
}

std::vector<RowRecord> parse_rows(const std::string& text, size_t& offset) {
  std::vector<RowRecord> out;
  for (;;) {
    const size_t eol = text.find('\n', offset);
    if (eol == std::string::npos) break;
    std::istringstream head(text.substr(offset, eol - offset));
    std::string tag, hash, status;
    size_t bytes = 0;
    if (!(head >> tag >> hash >> status >> bytes) || tag != "R" || (status != "ok" && status != "failed"))
      throw std::runtime_error("malformed rows record at byte " + std::to_string(offset));
    if (eol + 1 + bytes + 1 > text.size()) break;  // torn tail: the task is still writing it, or died doing so
    out.push_back({hash, status == "ok", text.substr(eol + 1, bytes)});
    offset = eol + 1 + bytes + 1;
  }
  return out;
}

std::string read_from(const std::string& path, uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace msao::dse
